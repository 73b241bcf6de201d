package io.vhba.emulator.cli;

import io.vhba.emulator.config.ConfigException;
import io.vhba.emulator.config.ConfigLoader;
import io.vhba.emulator.config.ControllerConfig;
import io.vhba.emulator.config.HttpConfig;
import io.vhba.emulator.config.LunConfig;
import io.vhba.emulator.config.Portal;
import io.vhba.emulator.config.Sizes;
import io.vhba.emulator.config.TargetConfig;
import io.vhba.emulator.config.VhbaConfig;
import io.vhba.emulator.fault.FaultSpec;
import io.vhba.emulator.fault.FaultSpecException;
import io.vhba.emulator.fault.FaultSpecParser;
import io.vhba.emulator.runtime.Drivers;
import io.vhba.emulator.runtime.Vhba;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code serve}: starts the target and prints the iSCSI URL of each LUN, one per line, on
 * standard output (logs go to standard error). Runs until SIGINT or SIGTERM.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start the iSCSI target. Without --config: one RAM disk at LUN 0 behind the mailbox miniport.",
        footer = {"", "Examples:",
                "  java -jar vhba.jar serve",
                "  java -jar vhba.jar serve --listen 0.0.0.0:3260 --size 64G --block-size 4096",
                "  java -jar vhba.jar serve --config targets.yaml",
                "  java -jar vhba.jar serve --driver target/my-miniport.jar --miniport example",
                "  java -jar vhba.jar serve --fault medium-error,lun=0,lba=2048-2055",
                "  java -jar vhba.jar serve --http 127.0.0.1:9260 --stats 5s",
                "  java -jar vhba.jar serve --io-timeout 5 --fault never-complete,lun=0,count=1",
                "  VHBA_CHAP_SECRET=... java -jar vhba.jar serve --listen 0.0.0.0:3260 --chap-user host1 --allow 'iqn.2026-12.example:*'"})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--listen", paramLabel = "HOST:PORT", converter = PortalConverter.class,
            description = "Portal to listen on (repeatable). Default: 127.0.0.1:3260.")
    List<Portal> listen;

    @Option(names = "--size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Disk capacity, e.g. 64M, 1G, 2T. Default: 1G.")
    Long size;

    @Option(names = "--block-size", paramLabel = "512|4096", converter = BlockSizeConverter.class,
            description = "Logical block size. Default: 512.")
    Integer blockSize;

    @Option(names = "--iqn", paramLabel = "IQN", description = "Target name. Default: " + VhbaConfig.DEFAULT_IQN + ".")
    String iqn;

    @Option(names = "--read-only", description = "Serve the disk write-protected.")
    boolean readOnly;

    @Option(names = "--file", paramLabel = "PATH", description = "Back the disk with a file instead of RAM.")
    Path file;

    @Option(names = "--lun", paramLabel = LunSpec.GRAMMAR, converter = LunSpec.Converter.class,
            description = "Another LUN of the target (repeatable), e.g. --lun 1,size=64M,read-only. "
                    + "--lun 0,... replaces the default disk that --size, --block-size, --read-only and --file describe.")
    List<LunConfig> luns;

    @Option(names = "--miniport", paramLabel = "NAME", completionCandidates = MiniportNames.class,
            description = "The miniport driver to load: ${COMPLETION-CANDIDATES}. Default: mailbox.")
    String miniport;

    @Option(names = "--driver", paramLabel = "PATH",
            description = "A jar of external miniports and controller models, or a directory whose *.jar are loaded "
                    + "together, in a class loader of its own (repeatable); --miniport can then name them. "
                    + "With --config, added to the file's drivers.")
    List<Path> drivers;

    @Option(names = "--start-timeout", paramLabel = "SECONDS", description = "How long each start-up callback of the "
            + "miniport (DriverEntry, FindAdapter, HwInitialize, passive initialisation, each bus scan command) may run "
            + "before the start fails with a bug check naming it. Default: 10.")
    Integer startTimeout;

    @Option(names = "--controller", paramLabel = "inline|threaded",
            description = "Controller mode: inline (fast path) or threaded (own thread, --latency-us). Default: inline.")
    String controllerMode;

    @Option(names = "--latency-us", paramLabel = "MICROS", description = "Per-command latency of a threaded controller.")
    Long latencyMicros;

    @Option(names = "--processors", paramLabel = "N", description = "Simulated processors (threads). Default: the CPU count, at most 8.")
    Integer processors;

    @Option(names = "--io-timeout", paramLabel = "SECONDS", description = "SRB timeout: a request the miniport holds longer "
            + "fails and the port escalates (LUN reset, device reset, bus reset). Default: 60.")
    Integer ioTimeout;

    @Option(names = "--fault", paramLabel = "KIND,key=value,...", converter = FaultConverter.class,
            description = "Inject a fault (repeatable); the grammar is below.")
    List<FaultSpec> faultSpecs;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Directory for state kept across restarts (persistent reservations with APTPL). Default: none.")
    Path stateDir;

    @Option(names = "--no-metrics", description = "Do not record the data-path meters (per command, per SRB, DPC latency, "
            + "ISR time); session, error and JVM meters stay. For measuring what recording costs.")
    boolean noMetrics;

    @Option(names = "--http", paramLabel = "HOST:PORT", converter = PortalConverter.class,
            description = "Serve the management API (HTTP/JSON, GET /metrics) here; 127.0.0.1:0 picks a port. "
                    + "A non-loopback address needs a token. Default: off.")
    Portal http;

    @Option(names = "--http-token-file", paramLabel = "FILE",
            description = "First line: the bearer token every API request must carry (else env " + HttpConfig.TOKEN_ENV + ").")
    Path httpTokenFile;

    @Option(names = "--stats", paramLabel = "INTERVAL", converter = IntervalConverter.class,
            description = "Log a status line (IOPS, MiB/s, latency, sessions, outstanding) every INTERVAL: 5s, 500ms, 10 (seconds).")
    Duration stats;

    @Option(names = "--deterministic", description = "Deterministic mode: one seeded scheduler over virtual time runs every "
            + "simulated processor, interrupt, DPC, timer, work item and device; the same seed and inputs give the same run.")
    boolean deterministic;

    @Option(names = "--seed", paramLabel = "N", description = "The schedule's seed (with --deterministic). Default: 0.")
    Long seed;

    @Option(names = "--strategy", paramLabel = "random|pct", description = "How the deterministic scheduler picks the next "
            + "thread (with --deterministic). Default: random.")
    String strategy;

    @Option(names = "--record", paramLabel = "FILE", description = "Record the run's inputs for 'vhba replay' (with "
            + "--deterministic; RAM disks only). Written when the target stops.")
    Path record;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write a Chrome trace-event timeline (Perfetto, "
            + "chrome://tracing) of the last --trace-events events when the target stops.")
    Path trace;

    @Option(names = "--trace-events", paramLabel = "N", description = "How many of the last events the timeline keeps. "
            + "Default: " + io.vhba.emulator.config.TraceConfig.DEFAULT_EVENTS + ".")
    Integer traceEvents;

    @Option(names = "--config", paramLabel = "FILE", description = "A YAML/JSON configuration (several targets, LUNs, CHAP). "
            + "Cannot be combined with --size, --block-size, --iqn, --read-only or --file.")
    Path config;

    @Mixin
    SecurityOptions security = new SecurityOptions();

    private final PrintStream out;
    /** Set by {@link Main#main}: apply {@link JvmDefaults} before the target starts. */
    static volatile boolean tuneJvm;

    public ServeCommand() {
        this(System.out);
    }

    ServeCommand(PrintStream out) {
        this.out = out;
    }

    /** The configuration these options describe. */
    VhbaConfig toConfig() {
        VhbaConfig base = withHttpOptions();
        if (!deterministic && (seed != null || strategy != null || record != null)) {
            throw new ConfigException("--seed, --strategy and --record need --deterministic");
        }
        if (traceEvents != null && trace == null) {
            throw new ConfigException("--trace-events needs --trace");
        }
        io.vhba.emulator.config.DeterministicConfig det = base.deterministic();
        if (deterministic) {
            det = new io.vhba.emulator.config.DeterministicConfig(seed, strategy, record == null ? null : record.toString());
        }
        io.vhba.emulator.config.TraceConfig tc = trace == null ? base.trace()
                : new io.vhba.emulator.config.TraceConfig(trace.toString(), traceEvents);
        return base.with(det, tc).validate();
    }

    /** The configuration with --http and --http-token-file applied. */
    private VhbaConfig withHttpOptions() {
        VhbaConfig c = withoutHttp();
        HttpConfig fromFile = c.http();
        if (http == null && httpTokenFile == null) {
            return c;
        }
        if (http == null && fromFile == null) {
            throw new ConfigException("--http-token-file needs --http HOST:PORT (or http.listen in the configuration)");
        }
        return c.withHttp(new HttpConfig(http != null ? http.toString() : fromFile.listen(),
                httpTokenFile != null ? httpTokenFile.toString() : fromFile == null ? null : fromFile.tokenFile())).validate();
    }

    private VhbaConfig withoutHttp() {
        if (config != null) {
            if (size != null || blockSize != null || iqn != null || readOnly || file != null || luns != null) {
                throw new ConfigException("--config describes the disks: drop --size, --block-size, --iqn, --read-only, --file and --lun");
            }
            VhbaConfig c = ConfigLoader.load(config);
            VhbaConfig.Builder b = c.toBuilder().controller(controller(c.controller()))
                    .drivers(concat(c.drivers(), driverPaths()));
            if (listen != null) {
                b.listen(listen.stream().map(Portal::toString).toList());
            }
            if (processors != null) {
                b.processors(processors);
            }
            if (miniport != null) {
                b.miniport(miniport);
            }
            if (ioTimeout != null) {
                b.ioTimeoutSeconds(ioTimeout);
            }
            if (stateDir != null) {
                b.stateDir(stateDir.toString());
            }
            if (startTimeout != null) {
                b.startTimeoutSeconds(startTimeout);
            }
            if (noMetrics) {
                b.metrics(false);
            }
            return security.apply(b.build(), true).validate();
        }
        TargetConfig target = new TargetConfig(iqn == null ? VhbaConfig.DEFAULT_IQN : iqn, "vhba-disk0", null, targetLuns());
        return security.apply(VhbaConfig.builder()
                .listen(listen == null ? null : listen.stream().map(Portal::toString).toList())
                .processors(processors).miniport(miniport).controller(controller(null)).ioTimeoutSeconds(ioTimeout)
                .targets(List.of(target)).stateDir(stateDir == null ? null : stateDir.toString())
                .drivers(driverPaths()).startTimeoutSeconds(startTimeout).metrics(!noMetrics).build(), false).validate();
    }

    private List<String> driverPaths() {
        return drivers == null ? List.of() : drivers.stream().map(Path::toString).toList();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** LUN 0 from --size and friends unless a --lun 0 replaces it, then the other --lun options in order. */
    private List<LunConfig> targetLuns() {
        List<LunConfig> all = new ArrayList<>();
        boolean lun0Given = luns != null && luns.stream().anyMatch(l -> l.lun() == 0);
        if (lun0Given && (size != null || blockSize != null || readOnly || file != null)) {
            throw new ConfigException("--lun 0 describes LUN 0: drop --size, --block-size, --read-only and --file");
        }
        if (!lun0Given) {
            all.add(new LunConfig(0, size == null ? null : Sizes.format(size), blockSize, readOnly, null, null,
                    file == null ? null : file.toString()));
        }
        if (luns != null) {
            all.addAll(luns);
        }
        Set<Integer> numbers = new HashSet<>();
        for (LunConfig l : all) {
            if (!numbers.add(l.lun())) {
                throw new ConfigException("--lun " + l.lun() + " is given twice");
            }
        }
        return all;
    }

    private ControllerConfig controller(ControllerConfig base) {
        if (controllerMode == null && latencyMicros == null) {
            return base;
        }
        ControllerConfig b = base == null ? new ControllerConfig(null, null, null) : base;
        return new ControllerConfig(controllerMode == null ? b.mode() : controllerMode,
                latencyMicros == null ? b.latencyMicros() : latencyMicros, b.slots());
    }

    @Override
    public Integer call() throws InterruptedException {
        VhbaConfig config = toConfig();
        if (tuneJvm) {
            JvmDefaults.apply(config.processors());
        }
        Vhba vhba = Vhba.start(config);
        if (faultSpecs != null) {
            try {
                for (FaultSpec f : faultSpecs) {
                    vhba.faults().inject(f);
                }
            } catch (FaultSpecException e) {
                vhba.close();
                throw new ConfigException("--fault: " + e.getMessage());
            }
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (vhba.config().deterministic() != null) {
                // the run ends here, as a recorded input: its summary is what 'vhba replay' must reproduce
                io.vhba.emulator.record.RunSummary s = vhba.awaitEnd();
                if (s != null) {
                    s.lines().forEach(l -> System.err.println("vhba: " + l));
                } else {
                    System.err.println("vhba: the deterministic run halted: " + vhba.halt());
                }
            }
            vhba.close();
            stopped.countDown();
        }, "vhba-shutdown"));
        for (String url : vhba.urls()) {
            out.println(url);
        }
        vhba.managementUrl().ifPresent(out::println);
        out.flush();
        StatsReporter reporter = stats == null ? null : StatsReporter.start(vhba, stats);
        stopped.await();
        if (reporter != null) {
            reporter.close();
        }
        return 0;
    }

    /** Appends the --fault grammar (generated from the fault kinds) to the serve command's help footer. */
    static void describeFaults(CommandLine serve) {
        List<String> footer = new java.util.ArrayList<>(List.of(serve.getCommandSpec().usageMessage().footer()));
        footer.add("");
        footer.addAll(List.of(FaultSpecParser.help().split("\n")));
        serve.getCommandSpec().usageMessage().footer(footer.toArray(new String[0]));
    }

    static final class FaultConverter implements ITypeConverter<FaultSpec> {
        @Override
        public FaultSpec convert(String value) {
            try {
                return FaultSpecParser.parse(value);
            } catch (FaultSpecException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /**
     * Lets {@code serve --driver PATH --help} list the miniports of PATH too: picocli renders the candidates
     * after parsing, so they are read from the command's parsed options.
     */
    static void listDrivers(CommandLine serve) {
        if (serve.getCommandSpec().findOption("--miniport").completionCandidates() instanceof MiniportNames names) {
            names.command = serve.getCommand();
        }
    }

    /** The miniports --help lists: the built-in ones, then those of the --driver paths given. */
    static final class MiniportNames implements Iterable<String> {
        private volatile ServeCommand command;

        @Override
        public java.util.Iterator<String> iterator() {
            ServeCommand c = command;
            List<String> paths = c == null ? List.of() : c.driverPaths();
            try (Drivers d = Drivers.load(paths)) {
                return d.miniportNames().iterator();
            } catch (ConfigException e) {
                List<String> l = new ArrayList<>();
                try (Drivers d = Drivers.builtIn()) {
                    l.addAll(d.miniportNames());
                }
                l.add("(not loaded: " + e.getMessage() + ")");
                return l.iterator();
            }
        }
    }

    static final class SizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return Sizes.parse("--size", value);
            } catch (ConfigException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 5s}, {@code 500ms}, {@code 2m}, or a bare number of seconds; at least 100 ms. */
    static final class IntervalConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m)?").matcher(value.trim());
            if (!m.matches()) {
                throw new TypeConversionException("'" + value + "' is not an interval (5s, 500ms, 1m, or seconds)");
            }
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.toMillis() < 100) {
                throw new TypeConversionException("'" + value + "' is shorter than 100ms");
            }
            return d;
        }
    }

    static final class BlockSizeConverter implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            if (!value.equals("512") && !value.equals("4096")) {
                throw new TypeConversionException("'" + value + "' is not 512 or 4096");
            }
            return Integer.valueOf(value);
        }
    }

    static final class PortalConverter implements ITypeConverter<Portal> {
        @Override
        public Portal convert(String value) {
            try {
                return Portal.parse(value);
            } catch (ConfigException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
