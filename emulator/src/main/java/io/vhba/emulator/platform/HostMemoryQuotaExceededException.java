package io.vhba.emulator.platform;

/** A {@link HostMemoryQuota} cannot take an allocation; the caller answers TASK SET FULL (SAM-5 5.3.1). */
public final class HostMemoryQuotaExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HostMemoryQuotaExceededException(int wanted, long charged, long limit) {
        super(wanted + " bytes wanted, " + charged + " of " + limit + " held");
    }
}
