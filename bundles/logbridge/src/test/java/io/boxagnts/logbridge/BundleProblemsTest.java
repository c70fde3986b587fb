package io.boxagnts.logbridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleException;

class BundleProblemsTest {

    @Test
    void aBundleExceptionIsReducedToItsMessage() {
        assertEquals("Unable to resolve x: missing requirement y",
                BundleProblems.reason(new BundleException("Unable to resolve x: missing requirement y")));
    }

    @Test
    void theActivatorsExceptionIsKeptAsTheCause() {
        BundleException e = new BundleException("Activator start error in bundle t [9].",
                new IllegalStateException("boom"));
        assertEquals("Activator start error in bundle t [9]. (java.lang.IllegalStateException: boom)",
                BundleProblems.reason(e));
    }

    @Test
    void felixLogsWrappedBundleExceptionsAreRecognised() {
        RuntimeException wrapped = new RuntimeException("org.osgi.framework.BundleException: Unable to resolve z");
        assertEquals("Unable to resolve z", BundleProblems.reason(wrapped));
    }

    @Test
    void aRefusalByTheSignedOnlyResolverHookIsKnownAsSuch() {
        String reason = BundleProblems.reason(new BundleException("Resolver hook prevented resolution. Unresolved "
                + "requirements: []"));
        assertTrue(BundleProblems.refusedByResolverHook(reason));
        assertFalse(BundleProblems.refusedByResolverHook("Unable to resolve x: missing requirement y"));
        assertFalse(BundleProblems.refusedByResolverHook(null));
    }

    @Test
    void otherExceptionsKeepTheirStackTrace() {
        assertNull(BundleProblems.reason(new NullPointerException("bug")));
        assertNull(BundleProblems.reason(null));
    }
}
