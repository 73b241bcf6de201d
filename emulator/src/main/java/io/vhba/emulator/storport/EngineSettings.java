package io.vhba.emulator.storport;

/**
 * Engine-wide settings.
 *
 * @param defaultTimeoutSeconds the SRB TimeOutValue the port uses for I/O (Windows' disk class default is 60)
 * @param maxTargetsScanned how many target IDs the bus scan probes on each path
 */
public record EngineSettings(int defaultTimeoutSeconds, int maxTargetsScanned) {

    public static EngineSettings defaults() {
        return new EngineSettings(60, 8);
    }
}
