package io.boxagnts.plugins;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import org.osgi.framework.Bundle;
import org.osgi.framework.hooks.resolver.ResolverHook;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;

/**
 * The second line of the signed-only policy, a resolver hook: a bundle revision that is not the distribution's own
 * must pass {@link PublisherTrust} on the content the framework holds for it before it may resolve. A bundle that
 * does not resolve has no class loader and does not start, and the sandbox's extender only reads started bundles, so
 * none of its code or {@code .wasm} runs. This covers every way content reaches the framework: FileInstall's install
 * and its update of a jar overwritten in place (which it does without asking its extensions), a refresh, the Web
 * Console's install and update, and a file swapped between the plugins folder's first check and its install
 * (decision 0031). Each revision is checked once; a new revision (an update) is checked anew.
 */
final class ContentTrust {

    private final PublisherTrust trust;
    private final Predicate<Bundle> distribution;
    private final BiConsumer<Bundle, String> refused;
    /** The verdict on each revision checked: why it may not resolve, or empty. Revisions are never reused. */
    private final Map<BundleRevision, Optional<String>> verdicts = new WeakHashMap<>();

    /**
     * @param distribution which bundles are the distribution's own (the system bundle, system/), never checked
     * @param refused told once per refused revision, with the bundle and the reason
     */
    ContentTrust(PublisherTrust trust, Predicate<Bundle> distribution, BiConsumer<Bundle, String> refused) {
        this.trust = trust;
        this.distribution = distribution;
        this.refused = refused;
    }

    /** The hook for one resolve operation. */
    ResolverHook hook() {
        return new ResolverHook() {
            @Override
            public void filterResolvable(Collection<BundleRevision> candidates) {
                if (trust.signedOnly()) {
                    candidates.removeIf(revision -> problem(revision).isPresent());
                }
            }

            @Override
            public void filterSingletonCollisions(BundleCapability singleton,
                    Collection<BundleCapability> collisionCandidates) {
                // no opinion
            }

            @Override
            public void filterMatches(BundleRequirement requirement, Collection<BundleCapability> candidates) {
                // no opinion
            }

            @Override
            public void end() {
                // nothing kept per operation
            }
        };
    }

    /** Why the bundle's current revision was refused, or empty (also when it was not checked yet). */
    Optional<String> refusal(Bundle bundle) {
        BundleRevision current = bundle.adapt(BundleRevision.class); // outside our lock: the framework takes its own
        if (current == null) {
            return Optional.empty();
        }
        synchronized (this) {
            return verdicts.getOrDefault(current, Optional.empty());
        }
    }

    private synchronized Optional<String> problem(BundleRevision revision) {
        Bundle bundle = revision.getBundle();
        if (bundle.getBundleId() == 0 || distribution.test(bundle)) {
            return Optional.empty();
        }
        Optional<String> verdict = verdicts.get(revision);
        if (verdict == null) {
            verdict = check(bundle, revision);
            verdicts.put(revision, verdict);
            verdict.ifPresent(reason -> refused.accept(bundle, reason));
        }
        return verdict;
    }

    /**
     * Bundle.getEntry serves the bundle's current revision: the revision being resolved is checked only while it is
     * the current one, before and after its entries were read, or refused.
     */
    private Optional<String> check(Bundle bundle, BundleRevision revision) {
        if (bundle.adapt(BundleRevision.class) != revision) {
            return Optional.of("replaced while it was being checked; it is checked again when it is installed");
        }
        Optional<String> problem = trust.problem(new BundleContent(bundle));
        if (bundle.adapt(BundleRevision.class) != revision) {
            return Optional.of("replaced while it was being checked; it is checked again when it is installed");
        }
        return problem;
    }
}
