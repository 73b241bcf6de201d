package io.vhba.testcontainers;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Future;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.containers.wait.strategy.WaitStrategy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * The vHBA image ({@code docker/Dockerfile}) as a Testcontainers container: an iSCSI target on
 * {@value #ISCSI_PORT} with the management API on {@value #MANAGEMENT_PORT}, ready once {@code GET /health}
 * answers 200 (every adapter runs).
 * <pre>{@code
 * try (VhbaContainer vhba = new VhbaContainer().withLun(0, "64M").withFault("medium-error,lun=0,lba=2048-2055")) {
 *     vhba.start();
 *     String url = vhba.getIscsiUrl(0);   // iscsi://HOST:MAPPED_PORT/iqn.2026-11.io.vhba:disk0/0
 * }
 * }</pre>
 * Each container gets a random bearer token ({@link #getHttpToken()}), passed in the environment, so the API
 * listens on all the container's interfaces and answers only requests that carry the token. CHAP secrets go into
 * the container as files, never onto its command line.
 */
public class VhbaContainer extends GenericContainer<VhbaContainer> {
    /** The image name the build documents ({@code docker build -f docker/Dockerfile -t vhba .}). */
    public static final DockerImageName DEFAULT_IMAGE_NAME = DockerImageName.parse("vhba");
    public static final String DEFAULT_TAG = "latest";
    /** iSCSI's registered port (RFC 7143 §13.3), where the image's portal listens. */
    public static final int ISCSI_PORT = 3260;
    /** The management API's port in the image. */
    public static final int MANAGEMENT_PORT = 9260;
    public static final String DEFAULT_IQN = "iqn.2026-11.io.vhba:disk0";
    /** Where the CHAP secrets are copied; the entry point hands these files to serve (VHBA_*_SECRET_FILE). */
    static final String CHAP_SECRET_FILE = "/run/secrets/vhba-chap-secret";
    static final String MUTUAL_CHAP_SECRET_FILE = "/run/secrets/vhba-mutual-chap-secret";
    /** Readable by the image's user (uid 10001), whoever owns the copied file. */
    private static final int SECRET_FILE_MODE = 0444;
    private static final Duration STARTUP_TIMEOUT = Duration.ofMinutes(2);

    private final String token = newToken();
    private final Map<Integer, String> luns = new TreeMap<>();
    private final List<String> faults = new ArrayList<>();
    private final List<String> serveArguments = new ArrayList<>();
    /** Container path -> content of each secret file, copied in when the container starts. */
    private final Map<String, String> secretFiles = new LinkedHashMap<>();
    private String iqn = DEFAULT_IQN;

    /** {@code vhba:latest}. */
    public VhbaContainer() {
        this(DEFAULT_IMAGE_NAME.withTag(DEFAULT_TAG));
    }

    public VhbaContainer(String image) {
        this(DockerImageName.parse(image));
    }

    /**
     * @param image {@code vhba} under any tag, or another name declared {@code asCompatibleSubstituteFor("vhba")}
     */
    public VhbaContainer(DockerImageName image) {
        super(image);
        image.assertCompatibleWith(DEFAULT_IMAGE_NAME);
        configureDefaults();
    }

    /** An image built on the fly, e.g. Testcontainers' {@code ImageFromDockerfile} of {@code docker/Dockerfile}. */
    public VhbaContainer(Future<String> image) {
        super(image);
        configureDefaults();
    }

    private void configureDefaults() {
        withExposedPorts(ISCSI_PORT, MANAGEMENT_PORT);
        // With a token the entry point opens the API on all interfaces; VHBA_HTTP says so explicitly.
        withEnv("VHBA_HTTP", "0.0.0.0:" + MANAGEMENT_PORT);
        withEnv("VHBA_HTTP_TOKEN", token);
        waitingFor(Wait.forHttp("/health").forPort(MANAGEMENT_PORT).forStatusCode(200)
                .withHeader("Authorization", "Bearer " + token).withStartupTimeout(STARTUP_TIMEOUT));
    }

    private static String newToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- configuration ------------------------------------------------------------------------------

    /** A thin RAM disk of {@code size} (e.g. {@code 64M}) with 512-byte blocks; LUN 0 replaces the image's default disk. */
    public VhbaContainer withLun(int lun, String size) {
        return lun(lun, size, null, false);
    }

    /** The same with {@code blockSize}-byte (512 or 4096) logical blocks. */
    public VhbaContainer withLun(int lun, String size, int blockSize) {
        return lun(lun, size, blockSize, false);
    }

    /** A write-protected disk: writes get DATA PROTECT. */
    public VhbaContainer withReadOnlyLun(int lun, String size) {
        return lun(lun, size, null, true);
    }

    /** A write-protected disk with {@code blockSize}-byte logical blocks. */
    public VhbaContainer withReadOnlyLun(int lun, String size, int blockSize) {
        return lun(lun, size, blockSize, true);
    }

    private VhbaContainer lun(int lun, String size, Integer blockSize, boolean readOnly) {
        if (lun < 0 || lun > 255) {
            throw new IllegalArgumentException("lun: " + lun + " is outside 0..255");
        }
        Objects.requireNonNull(size, "size");
        if (!size.matches("\\d+[KMGTP]?i?B?")) { // the value of one key of the --lun grammar: no ',' or '='
            throw new IllegalArgumentException("size: '" + size + "' is not a size (e.g. 64M, 1G)");
        }
        if (blockSize != null && blockSize != 512 && blockSize != 4096) {
            throw new IllegalArgumentException("blockSize: " + blockSize + " is not 512 or 4096");
        }
        luns.put(lun, lun + ",size=" + size + (blockSize == null ? "" : ",block-size=" + blockSize) + (readOnly ? ",read-only" : ""));
        return updateCommand();
    }

    /** A fault installed when the target starts, in the grammar of {@code serve --fault}; repeatable. */
    public VhbaContainer withFault(String spec) {
        Objects.requireNonNull(spec, "spec");
        if (spec.isBlank()) {
            throw new IllegalArgumentException("fault: an empty spec");
        }
        faults.add(spec);
        return updateCommand();
    }

    /** The miniport driver ({@code mailbox}, {@code halfduplex}, {@code virtual}). */
    public VhbaContainer withMiniport(String name) {
        return withEnv("VHBA_MINIPORT", Objects.requireNonNull(name, "miniport"));
    }

    /** The target's name (default {@value #DEFAULT_IQN}). */
    public VhbaContainer withIqn(String iqn) {
        this.iqn = Objects.requireNonNull(iqn, "iqn");
        return withEnv("VHBA_IQN", iqn);
    }

    /**
     * One-way CHAP: initiators log in as {@code user} with {@code secret} (at least 12 characters, RFC 7143
     * §12.1.3). The secret reaches the container as a file, so it is neither on the command line nor in
     * {@code docker inspect}'s environment.
     */
    public VhbaContainer withChap(String user, String secret) {
        withEnv("VHBA_CHAP_USER", Objects.requireNonNull(user, "user"));
        withEnv("VHBA_CHAP_SECRET_FILE", CHAP_SECRET_FILE);
        secretFiles.put(CHAP_SECRET_FILE, checkedSecret(secret));
        return self();
    }

    /** Mutual CHAP on top of {@link #withChap}: the target answers the initiator's challenge as {@code user}. */
    public VhbaContainer withMutualChap(String user, String secret) {
        if (!secretFiles.containsKey(CHAP_SECRET_FILE)) {
            throw new IllegalStateException("withMutualChap needs withChap(user, secret) first");
        }
        withEnv("VHBA_MUTUAL_CHAP_USER", Objects.requireNonNull(user, "user"));
        withEnv("VHBA_MUTUAL_CHAP_SECRET_FILE", MUTUAL_CHAP_SECRET_FILE);
        secretFiles.put(MUTUAL_CHAP_SECRET_FILE, checkedSecret(secret));
        return self();
    }

    private static String checkedSecret(String secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.isEmpty() || secret.contains("\n")) {
            throw new IllegalArgumentException("a CHAP secret must be one non-empty line"); // the secret itself never in a message
        }
        return secret;
    }

    /** Further {@code serve} arguments, after the LUNs and faults (e.g. {@code "--controller", "threaded"}). */
    public VhbaContainer withServeArguments(String... arguments) {
        serveArguments.addAll(List.of(arguments));
        return updateCommand();
    }

    /** The container's arguments, which the entry point appends to {@code serve} after the VHBA_* flags. */
    private VhbaContainer updateCommand() {
        List<String> parts = new ArrayList<>();
        luns.values().forEach(l -> parts.addAll(List.of("--lun", l)));
        faults.forEach(f -> parts.addAll(List.of("--fault", f)));
        parts.addAll(serveArguments);
        setCommand(parts.toArray(new String[0]));
        return self();
    }

    @Override
    protected void configure() {
        secretFiles.forEach((path, content) -> withCopyToContainer(Transferable.of(content, SECRET_FILE_MODE), path));
    }

    // ---- where to connect ---------------------------------------------------------------------------

    /** The LUNs the target has: the image's default LUN 0 and every {@code withLun}. */
    public Set<Integer> getLuns() {
        Set<Integer> s = new TreeSet<>(luns.keySet());
        s.add(0);
        return s;
    }

    public String getIqn() {
        return iqn;
    }

    /** {@code HOST:PORT} of the published portal, as {@code iscsiadm -p} takes it. */
    public String getIscsiPortal() {
        String host = getHost();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + getMappedPort(ISCSI_PORT);
    }

    /**
     * {@code iscsi://HOST:PORT/IQN/LUN}, libiscsi's URL of a LUN through the published port. Use it with the
     * URL, not through SendTargets discovery: that answers with the address inside the container.
     */
    public String getIscsiUrl(int lun) {
        if (!getLuns().contains(lun)) {
            throw new IllegalArgumentException("the target has no LUN " + lun + "; its LUNs: " + getLuns());
        }
        return "iscsi://" + getIscsiPortal() + "/" + iqn + "/" + lun;
    }

    /** {@code http://HOST:PORT} of the management API; every request needs {@code Authorization: Bearer} {@link #getHttpToken()}. */
    public String getManagementUrl() {
        String host = getHost();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + getMappedPort(MANAGEMENT_PORT);
    }

    /** This container's bearer token for the management API. */
    public String getHttpToken() {
        return token;
    }

    /** The strategy {@link #start()} waits with (for tests of this class). */
    WaitStrategy waitStrategy() {
        return getWaitStrategy();
    }

    /** The secret files {@link #configure()} copies in: container path -> content (for tests of this class). */
    Map<String, String> secretFiles() {
        return Map.copyOf(secretFiles);
    }
}
