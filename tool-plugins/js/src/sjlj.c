/*
 * setjmp/longjmp for wasm32-wasi on engines without the exception-handling proposal (GraalWasm 25), built on
 * Binaryen's Asyncify (wasm-opt --asyncify). setjmp unwinds the whole call stack into a capture buffer and at once
 * rewinds it: the capture is the stack as it was at setjmp. longjmp unwinds the current stack (discarded), then
 * rewinds the capture of its jmp_buf, so execution resumes in setjmp, which returns the value. The C shadow stack
 * pointer is saved and restored with it. Captures are kept in a LIFO arena: setjmp/longjmp are used in nested
 * fashion (Duktape's protected calls), and a capture whose jmp_buf lies below the current stack pointer belongs to
 * a frame that has returned. Decision 0025 says why; the program's main is sjlj_main().
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define IMPORT(name) __attribute__((import_module("asyncify"), import_name(name)))
IMPORT("start_unwind") void asyncify_start_unwind(void *data);
IMPORT("stop_unwind") void asyncify_stop_unwind(void);
IMPORT("start_rewind") void asyncify_start_rewind(void *data);
IMPORT("stop_rewind") void asyncify_stop_rewind(void);
uintptr_t sjlj_get_sp(void);
void sjlj_set_sp(uintptr_t sp);

/* Binaryen's Asyncify data: where the next saved local goes, and the end of the buffer. */
struct asyncify_data { uint8_t *current; uint8_t *end; };

struct capture {
    void *env;             /* the jmp_buf, identified by its address */
    uintptr_t sp;          /* the shadow stack pointer at the call of setjmp */
    uint8_t *start;        /* the captured stack in the arena */
    uint8_t *top;          /* its end (where a rewind starts reading backwards) */
};

#define MAX_CAPTURES 4096
#define ARENA_BYTES (2u << 20)
#define SCRATCH_BYTES (2u << 20)

static struct capture captures[MAX_CAPTURES];
static int depth;
static uint8_t *arena;
static uint8_t *scratch;
static struct asyncify_data data;

enum { IDLE, CAPTURING, JUMPING };
static int state = IDLE;
static struct capture *target;
static int value;

static void fail(const char *what) {
    fprintf(stderr, "setjmp/longjmp: %s\n", what);
    abort();
}

/* Forget the captures of frames that have returned (their jmp_buf is below the stack pointer now). */
static void drop_dead(uintptr_t sp) {
    while (depth > 0 && (uintptr_t) captures[depth - 1].env < sp) {
        depth--;
    }
}

/*
 * Binaryen treats a function that calls start_unwind or stop_rewind as runtime code: it is not instrumented, its
 * callers are. So setjmp starts the unwind and returns; its caller unwinds. On the rewind the caller calls setjmp
 * again, which then ends the rewind and returns 0 (after the capture) or the longjmp's value.
 */
int setjmp(jmp_buf env) {
    if (state != IDLE) {
        asyncify_stop_rewind();
        int result = state == JUMPING ? value : 0;
        state = IDLE;
        return result;
    }
    uintptr_t sp = sjlj_get_sp();
    drop_dead(sp);
    if (depth > 0 && captures[depth - 1].env == (void *) env) {
        depth--; /* the same jmp_buf set again: its old capture goes */
    }
    if (depth == MAX_CAPTURES) {
        fail("too many nested setjmp");
    }
    if (arena == NULL && ((arena = malloc(ARENA_BYTES)) == NULL || (scratch = malloc(SCRATCH_BYTES)) == NULL)) {
        fail("out of memory");
    }
    struct capture *c = &captures[depth++];
    c->env = env;
    c->start = depth > 1 ? captures[depth - 2].top : arena;
    data.current = c->start;
    data.end = arena + ARENA_BYTES;
    target = c;
    state = CAPTURING;
    asyncify_start_unwind(&data);
    return 0; /* ignored: the caller unwinds now */
}

/* Starts the unwind for longjmp; returns, and longjmp's callers unwind. */
__attribute__((noinline)) static void jump(void) {
    data.current = scratch;
    data.end = scratch + SCRATCH_BYTES;
    asyncify_start_unwind(&data);
}

void longjmp(jmp_buf env, int v) {
    int i = depth;
    while (i > 0 && captures[i - 1].env != (void *) env) {
        i--;
    }
    if (i == 0) {
        fail("longjmp to a jmp_buf that is not set");
    }
    depth = i;
    target = &captures[i - 1];
    value = v == 0 ? 1 : v;
    state = JUMPING;
    jump();
    __builtin_unreachable(); /* the unwind has started: this frame returns at once */
}

int sjlj_main(void);

/* The driver, not instrumented (asyncify-removelist): runs the program, and after every unwind rewinds. */
int main(void) {
    for (;;) {
        int result = sjlj_main();
        if (state == IDLE) {
            return result;
        }
        asyncify_stop_unwind();
        struct capture *c = target;
        if (state == CAPTURING) {
            /* The unwound frames left the stack pointer where it was at the call of setjmp (setjmp itself
             * returned normally and gave its own frame back): that is where the rewound stack continues. */
            c->top = data.current;
            c->sp = sjlj_get_sp();
        }
        data.current = c->top;
        data.end = arena + ARENA_BYTES;
        sjlj_set_sp(c->sp);
        asyncify_start_rewind(&data);
    }
}
