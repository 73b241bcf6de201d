package io.vhba.junit;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import io.vhba.samples.virtual.VirtualMiniport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

/**
 * A test-only broken miniport: the sample virtual miniport, except that it completes a READ(10) of
 * {@link #POISON_LBA} with SRB_STATUS_PENDING, the status the port set before StartIo. The port's
 * verifier answers with bug check 0xF1/0x1004 (INVALID_SRB_STATUS, STORPORT.md "The life of an SRB")
 * inside that RequestComplete, before the initiator hears anything; every other command works.
 * The break sits in a proxy between the miniport and the port, so the miniport's code stays the sample's.
 */
public final class PoisonedReadMiniport implements MiniportDriver {
    public static final String NAME = "poisoned-read";
    public static final long POISON_LBA = 0xBAD;
    private static final int READ_10 = 0x28;

    private final MiniportDriver sample = new VirtualMiniport();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "test only: the virtual miniport, completing READ(10) of LBA 0xBAD with SRB_STATUS_PENDING";
    }

    @Override
    public List<String> hardwareIds() {
        return sample.hardwareIds();
    }

    @Override
    public int driverEntry(StorPort port, DriverObject driverObject, String registryPath) {
        StorPort breaking = (StorPort) Proxy.newProxyInstance(StorPort.class.getClassLoader(), new Class<?>[] {StorPort.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("notification") && args[0] == NotificationType.REQUEST_COMPLETE
                            && ((Object[]) args[2])[0] instanceof Srb srb && poisoned(srb)) {
                        srb.setSrbStatus(SrbStatus.PENDING);
                    }
                    try {
                        return method.invoke(port, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause(); // the verifier's BugCheckException unwinds the miniport's routine
                    }
                });
        return sample.driverEntry(breaking, driverObject, registryPath);
    }

    private static boolean poisoned(Srb srb) {
        if (srb.cdbLength() < 10 || srb.cdb(0) != READ_10) {
            return false;
        }
        long lba = ((long) srb.cdb(2) << 24) | (srb.cdb(3) << 16) | (srb.cdb(4) << 8) | srb.cdb(5);
        return lba == POISON_LBA;
    }
}
