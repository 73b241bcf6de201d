package io.vhba.junit;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.fault.FaultSpecException;
import io.vhba.emulator.fault.FaultSpecParser;
import io.vhba.emulator.runtime.Vhba;
import io.vhba.emulator.verifier.BugCheck;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A vHBA target in the test's JVM, on 127.0.0.1 and a port the OS picks:
 * <pre>{@code
 * @RegisterExtension
 * static VhbaExtension vhba = VhbaExtension.builder().lun(0, "64M").miniport("mailbox").build();
 *
 * @Test
 * void reads(@VhbaUrl String url, VhbaHandle target) { ... }
 * }</pre>
 * In a static field it serves the whole class (JUnit calls {@link BeforeAllCallback} only for those); in an
 * instance field every test gets a target of its own. After each test (or, for what happened outside any
 * test, after the class) the test fails with a {@link BugCheckFailure} if the Storport verifier raised a bug
 * check meanwhile, unless the extension was built with {@code failOnBugCheck(false)}. The attribution is by
 * time: test methods of one class that run concurrently share the blame.
 */
public final class VhbaExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback,
        ParameterResolver {

    private final VhbaConfig config;
    private final List<String> faults;
    private final boolean failOnBugCheck;

    /** Class containers entered and not yet left: a {@code @Nested} class enters again and shares the target. */
    private int classDepth;
    private volatile VhbaHandle handle;
    /** How many of the verifier's bug checks have been judged already (they belong to earlier tests). */
    private int judged;

    private VhbaExtension(VhbaConfig config, List<String> faults, boolean failOnBugCheck) {
        this.config = config;
        this.faults = faults;
        this.failOnBugCheck = failOnBugCheck;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The configuration the target starts with (listen {@value ConfigTree#LISTEN}). */
    public VhbaConfig config() {
        return config;
    }

    /** The running target; for helpers that are not handed a {@link VhbaHandle} parameter. */
    public VhbaHandle handle() {
        VhbaHandle h = handle;
        if (h == null) {
            throw new IllegalStateException("the vHBA target is not running (it runs per class from a static field, "
                    + "per test from an instance field)");
        }
        return h;
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    @Override
    public void beforeAll(ExtensionContext context) {
        if (classDepth++ == 0) {
            start();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (--classDepth == 0) {
            stopAndJudge("outside the tests of " + context.getDisplayName()
                    + " (in @BeforeAll or @AfterAll methods, between tests, or when the adapters stopped)");
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (classDepth == 0) {
            start();
        }
        handle.beginTest();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        VhbaHandle h = handle;
        if (h == null) {
            return; // it did not start; beforeEach said why
        }
        h.endTest();
        String during = "during " + context.getRequiredTestMethod().getName() + " (" + context.getDisplayName() + ")";
        if (classDepth == 0) {
            stopAndJudge(during);
        } else {
            // Work the test set off (ISRs, DPCs, completions) may still break a rule: let it run first.
            h.vhba().kernel().flushQueuedDpcs();
            judge(h.bugChecks(), during);
        }
    }

    private void start() {
        Vhba v;
        try {
            v = Vhba.start(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("the vHBA target did not start: " + e.getMessage(), e);
        }
        try {
            faults.forEach(v.faults()::inject);
        } catch (RuntimeException e) {
            v.close();
            throw new IllegalStateException("the vHBA target refused a fault: " + e.getMessage(), e);
        }
        judged = 0;
        handle = new VhbaHandle(v);
    }

    /** Stops the target first: stopping the adapters checks rules too (pool the miniport still holds). */
    private void stopAndJudge(String during) {
        VhbaHandle h = handle;
        handle = null;
        if (h != null) {
            h.vhba().close();
            judge(h.bugChecks(), during);
        }
    }

    private void judge(List<BugCheck> all, String during) {
        List<BugCheck> fresh = all.subList(Math.min(judged, all.size()), all.size());
        judged = all.size();
        if (!fresh.isEmpty() && failOnBugCheck) {
            throw new BugCheckFailure(during, fresh);
        }
    }

    // ---- parameters -------------------------------------------------------------------------------

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        if (parameter.isAnnotated(VhbaUrl.class)) {
            if (type == String.class || type == URI.class) {
                return true;
            }
            throw new ParameterResolutionException("@VhbaUrl fills a String or URI parameter, not " + type.getName()
                    + " (" + parameter.getParameter() + " of " + parameter.getDeclaringExecutable() + ")");
        }
        return type == VhbaHandle.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        VhbaHandle h = handle;
        if (h == null) {
            throw new ParameterResolutionException("no vHBA target runs for " + parameter.getDeclaringExecutable()
                    + ": an extension in an instance field starts one per test, for test, @BeforeEach and @AfterEach "
                    + "methods only; use a static field to share one with @BeforeAll methods and constructors");
        }
        Optional<VhbaUrl> url = parameter.findAnnotation(VhbaUrl.class);
        if (url.isEmpty()) {
            return h;
        }
        try {
            String u = h.url(url.get().lun());
            return parameter.getParameter().getType() == URI.class ? URI.create(u) : u;
        } catch (IllegalArgumentException e) {
            throw new ParameterResolutionException("@VhbaUrl(lun = " + url.get().lun() + "): " + e.getMessage());
        }
    }

    // ---- builder ----------------------------------------------------------------------------------

    /**
     * What the target is made of. Without {@code lun(...)} it has the configuration file's default LUN 0
     * (a thin 1 GiB RAM disk, 512-byte blocks). {@link #build()} checks everything and names the first problem.
     */
    public static final class Builder {
        private final List<LunSpec> luns = new ArrayList<>();
        private String miniport = "mailbox";
        private String iqn = VhbaConfig.DEFAULT_IQN;
        /** Two simulated processors (they are also the network threads): enough, and kind to small CI machines. */
        private int processors = 2;
        private Duration ioTimeout;
        private final List<String> faults = new ArrayList<>();
        private ChapSpec chap;
        private boolean failOnBugCheck = true;

        private Builder() {}

        /** A thin RAM disk of {@code size} (e.g. {@code 64M}) with 512-byte blocks. */
        public Builder lun(int lun, String size) {
            return lun(lun, size, 512);
        }

        /** A thin RAM disk of {@code size} with {@code blockSize}-byte (512 or 4096) logical blocks. */
        public Builder lun(int lun, String size, int blockSize) {
            luns.add(new LunSpec(lun, Objects.requireNonNull(size, "size"), blockSize, false));
            return this;
        }

        /** A write-protected disk: writes get DATA PROTECT, MODE SENSE reports WP. */
        public Builder readOnlyLun(int lun, String size) {
            return readOnlyLun(lun, size, 512);
        }

        /** A write-protected disk with {@code blockSize}-byte logical blocks. */
        public Builder readOnlyLun(int lun, String size, int blockSize) {
            luns.add(new LunSpec(lun, Objects.requireNonNull(size, "size"), blockSize, true));
            return this;
        }

        /** The miniport driver, by name ({@code mailbox}, {@code halfduplex}, {@code virtual}, or one on the class path). */
        public Builder miniport(String name) {
            this.miniport = Objects.requireNonNull(name, "miniport");
            return this;
        }

        public Builder iqn(String iqn) {
            this.iqn = Objects.requireNonNull(iqn, "iqn");
            return this;
        }

        /** Simulated processors, 1..64 (default 2). */
        public Builder processors(int processors) {
            this.processors = processors;
            return this;
        }

        /** The SRB timeout, whole seconds (default 60 s): a request held longer fails and the port escalates. */
        public Builder ioTimeout(Duration timeout) {
            this.ioTimeout = Objects.requireNonNull(timeout, "ioTimeout");
            return this;
        }

        /** A fault installed when the target starts, in the grammar of {@code serve --fault}; repeatable. */
        public Builder fault(String spec) {
            faults.add(Objects.requireNonNull(spec, "fault"));
            return this;
        }

        /** One-way CHAP: initiators log in as {@code user} with {@code secret} (at least 12 characters). */
        public Builder chap(String user, String secret) {
            chap = new ChapSpec(user, secret, chap == null ? null : chap.mutualUser(), chap == null ? null : chap.mutualSecret());
            return this;
        }

        /** Mutual CHAP on top of {@link #chap}: the target answers the initiator's challenge as {@code user}/{@code secret}. */
        public Builder mutualChap(String user, String secret) {
            if (chap == null) {
                throw new IllegalStateException("mutualChap needs chap(user, secret) first");
            }
            chap = chap.withMutual(user, secret);
            return this;
        }

        /** Whether a bug check fails the test (default true); false lets a test provoke one and inspect it. */
        public Builder failOnBugCheck(boolean fail) {
            this.failOnBugCheck = fail;
            return this;
        }

        /**
         * @throws IllegalArgumentException a setting the target would refuse (a size, block size, LUN number, IQN,
         *         CHAP secret, processor count, timeout or fault spec), with a one-line message naming it
         */
        public VhbaExtension build() {
            try {
                VhbaConfig config = ConfigTree.toConfig(iqn, luns, miniport, processors, ioTimeout, chap);
                faults.forEach(FaultSpecParser::parse); // the grammar now; whether the target has the LUN, at start
                return new VhbaExtension(config, List.copyOf(faults), failOnBugCheck);
            } catch (ConfigException | FaultSpecException e) {
                throw new IllegalArgumentException("VhbaExtension: " + e.getMessage(), e);
            }
        }
    }
}
