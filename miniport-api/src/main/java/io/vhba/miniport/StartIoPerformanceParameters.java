package io.vhba.miniport;

/**
 * {@code STARTIO_PERFORMANCE_PARAMETERS}: what {@code StorPortGetStartIoPerfParams} tells the
 * miniport about one request in HwStorStartIo. The miniport sets {@code Size}; the port sets
 * the rest.
 */
public final class StartIoPerformanceParameters {
    /** {@code sizeof(STARTIO_PERFORMANCE_PARAMETERS)}: four ULONGs. */
    public static final int SIZE = 16;
    /** The {@code Version} this port writes (storport.h names no constant for it). */
    public static final int VERSION = 1;

    private int version;
    private int size;
    private int messageNumber;
    private int channelNumber;

    /** A structure with {@code Size} = {@link #SIZE}, ready to pass. */
    public static StartIoPerformanceParameters sized() {
        StartIoPerformanceParameters p = new StartIoPerformanceParameters();
        p.setSize(SIZE);
        return p;
    }

    public int getVersion() { return version; }
    public void setVersion(int v) { version = v; }
    public int getSize() { return size; }
    public void setSize(int v) { size = v; }
    /** The MSI-X message best placed to interrupt for this request (0 without MSI-X). */
    public int getMessageNumber() { return messageNumber; }
    public void setMessageNumber(int v) { messageNumber = v; }
    /** The concurrent channel the port passes this request in (0 without concurrent channels). */
    public int getChannelNumber() { return channelNumber; }
    public void setChannelNumber(int v) { channelNumber = v; }
}
