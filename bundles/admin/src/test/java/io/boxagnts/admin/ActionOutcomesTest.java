package io.boxagnts.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ActionOutcomesTest {

    @Test
    void anOutcomeIsShownOnceAndOnlyForItsOwnId() {
        ActionOutcomes<String> outcomes = new ActionOutcomes<>();
        String id = outcomes.put("grep disabled");
        assertNotEquals(id, outcomes.put("grep disabled"), "ids are not reused");
        assertEquals(Optional.empty(), outcomes.take("0".repeat(32)), "an id nobody was given");
        assertEquals(Optional.empty(), outcomes.take(null));
        assertEquals(Optional.of("grep disabled"), outcomes.take(id));
        assertEquals(Optional.empty(), outcomes.take(id), "a reload does not show it again");
    }

    @Test
    void theOldestAreForgottenSoUnfollowedRedirectsCostBoundedMemory() {
        ActionOutcomes<Integer> outcomes = new ActionOutcomes<>();
        String first = outcomes.put(0);
        String last = null;
        for (int i = 1; i <= 1_000; i++) {
            last = outcomes.put(i);
        }
        assertEquals(Optional.empty(), outcomes.take(first));
        assertTrue(outcomes.take(last).isPresent());
    }
}
