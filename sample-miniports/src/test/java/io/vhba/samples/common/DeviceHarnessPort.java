package io.vhba.samples.common;

import io.vhba.hw.AttachedUnit;
import io.vhba.hw.DeviceModel;
import io.vhba.hw.RegisterFile;
import io.vhba.hw.Width;
import io.vhba.miniport.InterfaceType;
import io.vhba.miniport.PhysicalRange;
import io.vhba.miniport.ScatterGatherList;
import io.vhba.miniport.Srb;
import io.vhba.samples.common.FakeSrb;
import io.vhba.samples.common.HarnessPortRules.Phase;
import io.vhba.samples.mailbox.hw.FakeDeviceContext;
import io.vhba.samples.mailbox.hw.RecordingInterrupts;
import java.util.List;

/**
 * A {@link HarnessPort} with a real controller behind it (HalfDuplexPort, the mailbox
 * FakeStorPort): the controller is attached to the harness's memory and a recording interrupt
 * controller, BAR0 is the one access range, mapped once in FindAdapter and reached through the
 * register routines, and physical addresses come from the harness's memory. What differs per
 * sample (locks, MSI, the uncached extension) stays in the subclasses.
 *
 * @param <E> the sample's device extension
 * @param <C> the sample's controller
 */
public abstract class DeviceHarnessPort<E, C extends DeviceModel> extends HarnessPort<E> {
    /** Where BAR0 sits on the bus and where the port maps it, and how many bytes it spans. */
    public record Bar0Window(long busAddress, long virtualAddress, int length) {
    }

    public final C controller;
    public final RegisterFile bar0;
    /** What the controller signals (MSI-X messages, the INTx line), in order. */
    public final RecordingInterrupts interrupts = new RecordingInterrupts();
    protected final Bar0Window window;

    protected DeviceHarnessPort(int memoryFrames, Bar0Window window, C controller, AttachedUnit... units) {
        super(memoryFrames);
        this.window = window;
        this.controller = controller;
        bar0 = controller.bars().get(0);
        controller.attach(new FakeDeviceContext(memory, interrupts, List.of(units)));
    }

    /** Legal only in HwStorFindAdapter, and only for the BAR the port handed out. */
    @Override
    public long getDeviceBase(Object hwDeviceExtension, InterfaceType busType, int systemIoBusNumber, long ioAddress,
                              int numberOfBytes, boolean inIoSpace) {
        if (rules.phase() != Phase.FIND_ADAPTER || ioAddress != window.busAddress() || inIoSpace
                || numberOfBytes > window.length()) {
            throw new AssertionError("bad device base (bug check 0xF1/0x2003)");
        }
        return window.virtualAddress();
    }

    @Override
    public PhysicalRange getPhysicalAddress(Object hwDeviceExtension, Srb srb, long virtualAddress) {
        return memory.translate(virtualAddress);
    }

    @Override
    public long getVirtualAddress(Object hwDeviceExtension, long physicalAddress) {
        throw new AssertionError("the sample has no use for StorPortGetVirtualAddress");
    }

    @Override
    public ScatterGatherList getScatterGatherList(Object hwDeviceExtension, Srb srb) {
        FakeSrb s = (FakeSrb) srb;
        List<PhysicalRange> runs = memory.scatterGather(s.dataBuffer.slice(0, s.dataTransferLength));
        return new ScatterGatherList() {
            @Override public int numberOfElements() { return runs.size(); }
            @Override public long physicalAddress(int element) { return runs.get(element).physicalAddress(); }
            @Override public int length(int element) { return runs.get(element).length(); }
        };
    }

    /** The offset into BAR0 of a mapped register address; anything outside the mapping is bug check 0xF1/0x2005. */
    private int offset(long register) {
        long o = register - window.virtualAddress();
        if (o < 0 || o >= window.length()) {
            throw new AssertionError("bad register address (bug check 0xF1/0x2005)");
        }
        return (int) o;
    }

    @Override public byte readRegisterUchar(Object e, long r) { return (byte) bar0.read(offset(r), Width.BYTE); }
    @Override public short readRegisterUshort(Object e, long r) { return (short) bar0.read(offset(r), Width.WORD); }
    @Override public int readRegisterUlong(Object e, long r) { return (int) bar0.read(offset(r), Width.DWORD); }
    @Override public long readRegisterUlong64(Object e, long r) { return bar0.read(offset(r), Width.QWORD); }
    @Override public void writeRegisterUchar(Object e, long r, byte v) { bar0.write(offset(r), Width.BYTE, v); }
    @Override public void writeRegisterUshort(Object e, long r, short v) { bar0.write(offset(r), Width.WORD, v); }
    @Override public void writeRegisterUlong(Object e, long r, int v) { bar0.write(offset(r), Width.DWORD, v & 0xFFFF_FFFFL); }
    @Override public void writeRegisterUlong64(Object e, long r, long v) { bar0.write(offset(r), Width.QWORD, v); }
}
