package io.boxagnts.sandbox;

import java.util.concurrent.TimeUnit;

/**
 * The tool calls users and agents are making right now. Background work on the engine (warming the tools up) gives
 * way to them: it runs only while none is in flight and has been for a moment, and the first call to arrive
 * interrupts it.
 */
final class RealCalls {

    private int inFlight;
    private long arrivals;
    private long lastEnded;
    private Thread background;

    synchronized void started() {
        inFlight++;
        arrivals++;
        if (background != null) {
            // the background call's interrupt watch closes its context within ~50 ms (WasmTool)
            background.interrupt();
        }
    }

    /** How many real calls have started so far: a change tells background work that one arrived meanwhile. */
    synchronized long arrivals() {
        return arrivals;
    }

    /** Whether a real call is running now. */
    synchronized boolean busy() {
        return inFlight > 0;
    }

    synchronized void ended() {
        inFlight--;
        lastEnded = System.nanoTime();
        notifyAll();
    }

    /** Names the thread that does background work, so that a real call can interrupt it (null: none). */
    synchronized void background(Thread thread) {
        background = thread;
    }

    /**
     * Waits until no real call has been running for {@code quietMillis}.
     *
     * @throws InterruptedException when the waiting thread is interrupted (a real call arrived, or shutdown)
     */
    synchronized void awaitQuiet(long quietMillis) throws InterruptedException {
        long quiet = TimeUnit.MILLISECONDS.toNanos(quietMillis);
        while (true) {
            long since = System.nanoTime() - lastEnded;
            if (inFlight == 0 && (lastEnded == 0 || since >= quiet)) {
                return;
            }
            wait(inFlight > 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(quiet - since)));
        }
    }
}
