package io.vhba.emulator.cli;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory defaults for a {@code serve} process, applied from inside because {@code java -jar} cannot carry JVM options.
 * The JVM sizes its heap from the machine (a quarter of RAM), and G1 keeps what it once grew: a target that served a
 * burst would hold that peak forever. So, unless the operator set them on the command line:
 * <ul>
 *   <li>{@code G1PeriodicGCInterval=15000}: a target that stays quiet for 15 s gets a collection, which returns
 *       unused heap to the system (JEP 346) and frees the host-memory chunks {@code HostMemory} gave back;</li>
 *   <li>{@code MinHeapFreeRatio=10}, {@code MaxHeapFreeRatio=30}: after a collection the heap keeps at most 30 %
 *       free, not 70 %;</li>
 *   <li>Netty's pooled allocator gets one direct and one heap arena per simulated processor (its event loops are
 *       the processors), not two per CPU.</li>
 * </ul>
 * All three flags are "manageable": the JVM accepts them at run time. Other collectors ignore the G1 one.
 */
final class JvmDefaults {
    private static final Logger LOG = LoggerFactory.getLogger(JvmDefaults.class);

    static final String PERIODIC_GC_MILLIS = "15000";

    private JvmDefaults() {}

    static void apply(int processors) {
        try {
            HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            setIfDefault(hs, "G1PeriodicGCInterval", PERIODIC_GC_MILLIS);
            // Min first: each value must stay consistent with the other at the moment it is set.
            setIfDefault(hs, "MinHeapFreeRatio", "10");
            setIfDefault(hs, "MaxHeapFreeRatio", "30");
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("JVM memory defaults not applied: {}", e.toString());
        }
        String arenas = Integer.toString(Math.max(1, processors));
        setPropertyIfAbsent("io.netty.allocator.numDirectArenas", arenas);
        setPropertyIfAbsent("io.netty.allocator.numHeapArenas", arenas);
    }

    private static void setIfDefault(HotSpotDiagnosticMXBean hs, String flag, String value) {
        if (hs.getVMOption(flag).getOrigin() == com.sun.management.VMOption.Origin.DEFAULT) {
            hs.setVMOption(flag, value);
        }
    }

    private static void setPropertyIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
