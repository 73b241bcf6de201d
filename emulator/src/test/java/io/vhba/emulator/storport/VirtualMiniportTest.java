package io.vhba.emulator.storport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vhba.emulator.kernel.Irql;
import io.vhba.emulator.kernel.KThreadState;
import io.vhba.emulator.platform.HostBuffer;
import io.vhba.hw.AttachedUnit;
import io.vhba.hw.DataBuffer;
import io.vhba.hw.DataDirection;
import io.vhba.hw.ScsiBus;
import io.vhba.hw.ScsiCommand;
import io.vhba.hw.ScsiResult;
import io.vhba.miniport.DriverObject;
import io.vhba.miniport.FindAdapterStatus;
import io.vhba.miniport.HwInitializationData;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.PortConfigurationInformation;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;
import io.vhba.miniport.StorPort;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A virtual miniport (VIRTUAL_HW_FIND_ADAPTER): no PCI device, no interrupts, storage through BusInformation. */
class VirtualMiniportTest extends EngineFixture {

    /** Executes each SRB on the ScsiBus it was given, inline in StartIo, as a software-only miniport may. */
    static final class VirtualMiniport implements MiniportDriver {
        static final class Ext {
            StorPort port;
            ScsiBus bus;
            final List<String> events = new CopyOnWriteArrayList<>();
            final io.vhba.miniport.StorWorker worker = new io.vhba.miniport.StorWorker();
            final java.util.concurrent.ConcurrentLinkedQueue<Srb> waiting = new java.util.concurrent.ConcurrentLinkedQueue<>();
            final List<String> completedOn = new CopyOnWriteArrayList<>();
        }

        final List<Ext> extensions = new CopyOnWriteArrayList<>();
        /** Complete requests from a Storport work item (PASSIVE_LEVEL, system thread) instead of inline. */
        volatile boolean async;

        @Override public String name() { return "virtualtest"; }
        @Override public String description() { return "virtual test miniport"; }
        @Override public List<String> hardwareIds() { return List.of(); }

        @Override
        public int driverEntry(StorPort port, DriverObject obj, String registryPath) {
            return port.initialize(obj, registryPath, HwInitializationData.<Ext>virtualBuilder(() -> {
                        Ext e = new Ext();
                        e.port = port;
                        extensions.add(e);
                        return e;
                    })
                    .hwFindAdapter(this::findAdapter)
                    .hwInitialize(e -> {
                        e.events.add("HwInitialize " + Irql.name(KThreadState.current().irql())
                                + " locks=" + KThreadState.current().heldLocks().size());
                        return true;
                    })
                    .hwStartIo(this::startIo)
                    .hwResetBus((e, path) -> true)
                    .build(), null);
        }

        private FindAdapterStatus findAdapter(Ext e, Object ctx, Object busInformation, String args,
                                              PortConfigurationInformation c) {
            e.bus = (ScsiBus) busInformation;
            MemoryBuffer uncached = e.port.getUncachedExtension(e, c, 4096);
            e.events.add("FindAdapter virtual=" + c.isVirtualDevice() + " ranges=" + c.getAccessRanges().size()
                    + " messages=" + c.getMessageCount() + " uncached=" + (uncached != null));
            c.setMaximumTransferLength(1 << 20);
            c.setNumberOfPhysicalBreaks(16);
            e.port.initializeWorker(e, e.worker);
            return FindAdapterStatus.SP_RETURN_FOUND;
        }

        private boolean startIo(Ext e, Srb srb) {
            if (async && srb.function() == SrbFunction.EXECUTE_SCSI) {
                e.waiting.add(srb);
                // BUSY means the drain is queued already and will see this request too
                e.port.queueWorkItem(e, (x, ctx, w) -> {
                    Srb s;
                    while ((s = x.waiting.poll()) != null) {
                        x.completedOn.add(Thread.currentThread().getName() + " "
                                + Irql.name(KThreadState.current().irql()));
                        execute(x, s);
                    }
                }, e.worker, null);
                return true;
            }
            return execute(e, srb);
        }

        private boolean execute(Ext e, Srb srb) {
            if (srb.function() != SrbFunction.EXECUTE_SCSI) {
                srb.setSrbStatus(SrbStatus.INVALID_REQUEST);
                e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
                return true;
            }
            byte[] cdb = new byte[16];
            int n = srb.copyCdb(cdb);
            MemoryBuffer mb = srb.dataBuffer();
            int len = srb.dataTransferLength();
            DataBuffer data = len == 0 ? DataBuffer.NONE : new DataBuffer() {
                @Override public int length() { return len; }
                @Override public void writeDataIn(int offset, ByteBuffer src) {
                    byte[] b = new byte[src.remaining()];
                    src.get(b);
                    mb.put(offset, b, 0, b.length);
                }
                @Override public void readDataOut(int offset, ByteBuffer dst) {
                    byte[] b = new byte[dst.remaining()];
                    mb.get(offset, b, 0, b.length);
                    dst.put(b);
                }
            };
            int flags = srb.srbFlags();
            DataDirection dir = (flags & SrbFlags.DATA_IN) != 0 ? DataDirection.IN
                    : (flags & SrbFlags.DATA_OUT) != 0 ? DataDirection.OUT : DataDirection.NONE;
            ScsiResult r = e.bus.execute(srb.targetId(), srb.lun(), new ScsiCommand(cdb, n, dir, data, 0));
            if (r.isGood()) {
                if (r.transferred() < len) {
                    srb.setDataTransferLength(r.transferred());
                    srb.setSrbStatus(SrbStatus.DATA_OVERRUN);
                } else {
                    srb.setSrbStatus(SrbStatus.SUCCESS);
                }
            } else {
                srb.setScsiStatus(r.status().code());
                srb.setSrbStatus(SrbStatus.ERROR);
            }
            e.port.notification(NotificationType.REQUEST_COMPLETE, e, srb);
            return true;
        }
    }

    @Test
    void aVirtualMiniportStartsWithoutADeviceAndServesIo() throws Exception {
        start(); // the kernel and engine of the fixture; its physical adapter is irrelevant here
        VirtualMiniport vm = new VirtualMiniport();
        RamUnit disk = new RamUnit(64);
        PortServices services = engine.load(vm);
        assertThat(services.isVirtual()).isTrue();
        Adapter v = engine.startVirtualAdapter(services, List.of(new AttachedUnit(0, 0, disk), new AttachedUnit(0, 3, disk)),
                "virt0").get(10, TimeUnit.SECONDS);
        VirtualMiniport.Ext e = vm.extensions.get(0);
        assertThat(e.events).containsExactly("FindAdapter virtual=true ranges=0 messages=0 uncached=false",
                "HwInitialize PASSIVE_LEVEL locks=0");
        assertThat(v.device()).isNull();
        assertThat(v.interrupts()).isEmpty();
        assertThat(v.logicalUnits()).extracting(PortLogicalUnit::address).containsExactly("0:0:0", "0:0:3");

        adapter = v; // route the fixture's io() to the virtual adapter
        HostBuffer out = memory.allocate(512);
        out.putLong(0, 0x1122_3344_5566_7788L);
        assertThat(io(3, 0x2A, 7, out).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(java.nio.ByteBuffer.wrap(disk.data, 7 * 512, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong())
                .isEqualTo(0x1122_3344_5566_7788L);
        HostBuffer in = memory.allocate(512);
        assertThat(io(0, 0x28, 7, in).get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        assertThat(in.getLong(0)).isEqualTo(0x1122_3344_5566_7788L);
    }

    @Test
    void aVirtualMiniportMayCompleteFromAWorkItem() throws Exception {
        start();
        VirtualMiniport vm = new VirtualMiniport();
        RamUnit disk = new RamUnit(64);
        Adapter v = engine.startVirtualAdapter(engine.load(vm), List.of(new AttachedUnit(0, 0, disk)), "virt0")
                .get(10, TimeUnit.SECONDS);
        vm.async = true;
        adapter = v;
        java.util.List<java.util.concurrent.CompletableFuture<Done>> ios = new java.util.ArrayList<>();
        for (int i = 0; i < 8; i++) {
            HostBuffer out = memory.allocate(512);
            out.putInt(0, 1000 + i);
            ios.add(io(0, 0x2A, i, out));
        }
        for (var f : ios) {
            assertThat(f.get(5, TimeUnit.SECONDS).status()).isEqualTo(SrbStatus.SUCCESS);
        }
        for (int i = 0; i < 8; i++) {
            assertThat(java.nio.ByteBuffer.wrap(disk.data, i * 512, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt())
                    .isEqualTo(1000 + i);
        }
        VirtualMiniport.Ext e = vm.extensions.get(0);
        assertThat(e.completedOn).hasSize(8).allSatisfy(s -> assertThat(s).startsWith("system-worker-").endsWith(" PASSIVE_LEVEL"));
    }

    @Test
    void aVirtualMiniportCannotBeStartedOnADeviceNorAPhysicalOneWithoutOne() throws Exception {
        start();
        PortServices virtual = engine.load(new VirtualMiniport());
        PortServices physical = engine.load(new TestMiniport());
        assertThatThrownBy(() -> engine.startVirtualAdapter(physical, List.of(), "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a virtual miniport");
        assertThatThrownBy(() -> engine.startAdapter(physical, null, "y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a device");
        assertThat(virtual.isVirtual()).isTrue();
    }
}
