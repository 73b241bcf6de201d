package io.vhba.emulator.config;

import io.vhba.emulator.iscsi.login.TextLimits;
import io.vhba.emulator.iscsi.session.PortalLimits;
import io.vhba.emulator.limits.Limit;

/**
 * The {@code limits:} block: bounds against resource exhaustion (docs/security.md describes each, what happens at
 * it and why its default is what it is). Every field is optional; an absent one takes the default of its
 * {@link Limit}. Sizes are written as elsewhere ({@code 64M}).
 */
public record LimitsConfig(Integer maxSessions, Integer maxSessionsPerTarget, Integer maxLoginsInProgress,
                           Integer maxLoginsInProgressPerPortal, Integer loginTimeoutSeconds, String sessionHostMemory,
                           String connectionWriteBuffer, Integer maxOutstandingR2tPerSession,
                           String sessionQueuedCommandData, Integer maxTextPairs, Integer maxLoginPairs,
                           String maxTextBytes) {

    public LimitsConfig {
        maxSessions = orDefault(maxSessions, Limit.SESSIONS);
        maxSessionsPerTarget = orDefault(maxSessionsPerTarget, Limit.SESSIONS_PER_TARGET);
        maxLoginsInProgress = orDefault(maxLoginsInProgress, Limit.LOGINS_IN_PROGRESS);
        maxLoginsInProgressPerPortal = orDefault(maxLoginsInProgressPerPortal, Limit.LOGINS_IN_PROGRESS_PER_PORTAL);
        loginTimeoutSeconds = orDefault(loginTimeoutSeconds, Limit.LOGIN_TIMEOUT);
        sessionHostMemory = sessionHostMemory == null ? Sizes.format(Limit.SESSION_HOST_MEMORY.defaultValue()) : sessionHostMemory;
        connectionWriteBuffer = connectionWriteBuffer == null
                ? Sizes.format(Limit.CONNECTION_WRITE_BUFFER.defaultValue()) : connectionWriteBuffer;
        maxOutstandingR2tPerSession = orDefault(maxOutstandingR2tPerSession, Limit.SESSION_OUTSTANDING_R2T);
        sessionQueuedCommandData = sessionQueuedCommandData == null
                ? Sizes.format(Limit.SESSION_QUEUED_COMMAND_DATA.defaultValue()) : sessionQueuedCommandData;
        maxTextPairs = orDefault(maxTextPairs, Limit.TEXT_PAIRS);
        maxLoginPairs = orDefault(maxLoginPairs, Limit.LOGIN_PAIRS);
        maxTextBytes = maxTextBytes == null ? Sizes.format(Limit.TEXT_BYTES.defaultValue()) : maxTextBytes;
    }

    /** The limits before the text ones were added (the first nine keys). */
    public LimitsConfig(Integer maxSessions, Integer maxSessionsPerTarget, Integer maxLoginsInProgress,
                        Integer maxLoginsInProgressPerPortal, Integer loginTimeoutSeconds, String sessionHostMemory,
                        String connectionWriteBuffer, Integer maxOutstandingR2tPerSession, String sessionQueuedCommandData) {
        this(maxSessions, maxSessionsPerTarget, maxLoginsInProgress, maxLoginsInProgressPerPortal, loginTimeoutSeconds,
                sessionHostMemory, connectionWriteBuffer, maxOutstandingR2tPerSession, sessionQueuedCommandData, null, null,
                null);
    }

    /** Every limit at its default. */
    public static LimitsConfig defaults() {
        return new LimitsConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    void validate() {
        range(Limit.SESSIONS, maxSessions, 1, 65535); // TSIH is 16 bits
        range(Limit.SESSIONS_PER_TARGET, maxSessionsPerTarget, 1, 65535);
        range(Limit.LOGINS_IN_PROGRESS, maxLoginsInProgress, 1, 1_000_000);
        range(Limit.LOGINS_IN_PROGRESS_PER_PORTAL, maxLoginsInProgressPerPortal, 1, 1_000_000);
        range(Limit.LOGIN_TIMEOUT, loginTimeoutSeconds, 1, 3600);
        range(Limit.SESSION_OUTSTANDING_R2T, maxOutstandingR2tPerSession, 1, 65535);
        size(Limit.SESSION_HOST_MEMORY, sessionHostMemory, 1L << 20, 1L << 40);
        size(Limit.CONNECTION_WRITE_BUFFER, connectionWriteBuffer, 64L << 10, 1L << 30);
        // at least one early command with a whole MaxRecvDataSegmentLength (256K) of immediate data must fit
        size(Limit.SESSION_QUEUED_COMMAND_DATA, sessionQueuedCommandData, 1L << 20, 1L << 30);
        range(Limit.TEXT_PAIRS, maxTextPairs, 32, 65535);
        range(Limit.LOGIN_PAIRS, maxLoginPairs, maxTextPairs, 1_000_000);
        size(Limit.TEXT_BYTES, maxTextBytes, 8L << 10, 16L << 20); // RFC 7143 §6.1: at least 8192
    }

    /** The text and login key bounds, for the target's negotiation policy. */
    public TextLimits textLimits() {
        return new TextLimits(maxTextPairs, maxLoginPairs, (int) Sizes.parse("limits." + Limit.TEXT_BYTES.key(), maxTextBytes));
    }

    public long sessionHostMemoryBytes() {
        return Sizes.parse("limits." + Limit.SESSION_HOST_MEMORY.key(), sessionHostMemory);
    }

    public long loginTimeoutMillis() {
        return loginTimeoutSeconds * 1000L;
    }

    /** The transport's share of the limits. */
    public PortalLimits portalLimits() {
        return new PortalLimits(maxSessions, maxSessionsPerTarget, maxLoginsInProgress, maxLoginsInProgressPerPortal,
                (int) Sizes.parse("limits." + Limit.CONNECTION_WRITE_BUFFER.key(), connectionWriteBuffer),
                maxOutstandingR2tPerSession,
                Sizes.parse("limits." + Limit.SESSION_QUEUED_COMMAND_DATA.key(), sessionQueuedCommandData));
    }

    private static Integer orDefault(Integer value, Limit limit) {
        return value == null ? (int) limit.defaultValue() : value;
    }

    private static void range(Limit limit, int value, int min, int max) {
        if (value < min || value > max) {
            throw new ConfigException("limits." + limit.key() + ": " + value + " is outside " + min + ".." + max);
        }
    }

    private static void size(Limit limit, String value, long min, long max) {
        long bytes = Sizes.parse("limits." + limit.key(), value);
        if (bytes < min || bytes > max) {
            throw new ConfigException("limits." + limit.key() + ": " + value + " is outside " + Sizes.format(min) + ".."
                    + Sizes.format(max));
        }
    }
}
