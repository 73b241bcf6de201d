package io.vhba.emulator.storport;

import io.vhba.emulator.platform.HostBuffer;
import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.Srb;
import io.vhba.miniport.SrbFlags;
import io.vhba.miniport.SrbFunction;
import io.vhba.miniport.SrbStatus;

/**
 * The port's SCSI_REQUEST_BLOCK. The miniport sees it through {@link Srb}, whose accessors
 * check that the miniport owns it (between BuildIo and RequestComplete); the port and the
 * SCSI target core use the {@code port*} methods.
 *
 * <p>Each SRB has a small host-memory allocation for its SrbExtension and sense buffer, kept
 * across reuse (the adapter pools SRBs), so an I/O allocates no pages besides its data.
 */
public final class EngineSrb implements Srb {
    /** Sense buffer size the port offers ({@code SENSE_BUFFER_SIZE_EX} is 255; descriptor sense fits in 96). */
    public static final int SENSE_BUFFER_SIZE = 96;

    final Adapter adapter;
    private final SrbExtensionSlab.Share share;
    private final MemoryBuffer srbExtension;
    private final MemoryBuffer senseBuffer;

    volatile SrbState state = SrbState.FREE;
    PortLogicalUnit lu;
    SrbFunction function;
    int srbStatus;
    int scsiStatus;
    int queueTag;
    int queueAction;
    int srbFlags;
    final byte[] cdb = new byte[16];
    int cdbLength;
    int dataTransferLength;
    HostBuffer dataBuffer;
    int senseInfoBufferLength;
    int timeOutValue;
    EngineSrb nextSrb;
    SrbCompletion completion;
    Object context;
    SgList sgList;
    /** Intrusive links of the LU's active list. */
    EngineSrb activePrev;
    EngineSrb activeNext;
    long startNanos;
    /** The SRB's id on the timeline (its flow from the transport, or its own), 0 without a timeline. */
    long traceId;
    int completedOnProcessor;
    /** The processor HwStorBuildIo and HwStorStartIo last ran on for this request (DPC redirection sends the completion there). */
    int issuedOnProcessor = -1;
    /** A management request (abort, reset) sent around the LU queue and its depth limit. */
    boolean bypass;
    /** Port timer ticks left before the request times out; -1 until the first tick sees it ({@link RequestTimeouts}). */
    int ticksLeft = -1;
    /** The request outlived its TimeOutValue; the port returns it with SRB_STATUS_TIMEOUT unless it succeeded. */
    boolean timedOut;
    /** HwStorStartIo has been called with this SRB: only then does the miniport hold it (a bus reset's sweep). */
    volatile boolean startIoEntered;

    EngineSrb(Adapter adapter, SrbExtensionSlab.Share share, int srbExtensionSize) {
        this.adapter = adapter;
        this.share = share;
        int extLen = (srbExtensionSize + 15) & ~15;
        this.srbExtension = srbExtensionSize > 0 ? share.slab().slice(share.offset(), srbExtensionSize) : null;
        this.senseBuffer = share.slab().slice(share.offset() + extLen, SENSE_BUFFER_SIZE);
    }

    static int extensionAllocationSize(int srbExtensionSize) {
        return ((srbExtensionSize + 15) & ~15) + SENSE_BUFFER_SIZE;
    }

    /** Prepares a SCSI request (SRB_FUNCTION_EXECUTE_SCSI). */
    public EngineSrb prepareExecuteScsi(PortLogicalUnit unit, byte[] cdbBytes, int length, int flags, HostBuffer data,
                                        int transferLength, int timeoutSeconds, int action, SrbCompletion done,
                                        Object ctx) {
        if (length < 1 || length > 16) {
            throw new IllegalArgumentException("CDB length " + length + " does not fit a SCSI_REQUEST_BLOCK");
        }
        reset(unit, SrbFunction.EXECUTE_SCSI, done, ctx);
        System.arraycopy(cdbBytes, 0, cdb, 0, length);
        cdbLength = length;
        srbFlags = flags | SrbFlags.QUEUE_ACTION_ENABLE;
        dataBuffer = data;
        dataTransferLength = data == null ? 0 : transferLength;
        timeOutValue = timeoutSeconds;
        queueAction = action;
        return this;
    }

    /** Prepares a request without data (ABORT_COMMAND, RESET_LOGICAL_UNIT, RESET_DEVICE, FLUSH, SHUTDOWN). */
    public EngineSrb prepareFunction(PortLogicalUnit unit, SrbFunction fn, EngineSrb target, int timeoutSeconds,
                                     SrbCompletion done, Object ctx) {
        reset(unit, fn, done, ctx);
        nextSrb = target;
        timeOutValue = timeoutSeconds;
        return this;
    }

    private void reset(PortLogicalUnit unit, SrbFunction fn, SrbCompletion done, Object ctx) {
        lu = unit;
        function = fn;
        srbStatus = SrbStatus.PENDING.code();
        scsiStatus = 0;
        queueTag = 0;
        queueAction = 0x20; // SIMPLE_TAG_REQUEST
        srbFlags = 0;
        cdbLength = 0;
        dataTransferLength = 0;
        dataBuffer = null;
        senseInfoBufferLength = SENSE_BUFFER_SIZE;
        nextSrb = null;
        completion = done;
        context = ctx;
        sgList = null;
        activePrev = null;
        activeNext = null;
        bypass = false;
        ticksLeft = -1;
        timedOut = false;
        startIoEntered = false;
        issuedOnProcessor = -1;
    }

    /** Before a BUSY requeue: SrbExtension contents are not preserved (STORPORT.md), so poison them. */
    void resetForReissue() {
        srbStatus = SrbStatus.PENDING.code();
        scsiStatus = 0;
        senseInfoBufferLength = SENSE_BUFFER_SIZE;
        if (srbExtension != null) {
            srbExtension.fill(0, srbExtension.length(), (byte) 0xCC);
        }
    }

    // ---- port side ----------------------------------------------------------------------

    public Adapter adapter() {
        return adapter;
    }

    public Object portContext() {
        return context;
    }

    public PortLogicalUnit portLogicalUnit() {
        return lu;
    }

    /** Whether the port still holds the request (queued, or owned by the miniport). */
    public boolean portIsOutstanding() {
        return state == SrbState.QUEUED || state == SrbState.MINIPORT;
    }

    public SrbFunction portFunction() {
        return function;
    }

    /** The status the miniport completed with, flags masked. */
    public SrbStatus portSrbStatus() {
        SrbStatus s = SrbStatus.of(srbStatus);
        return s == null ? SrbStatus.ERROR : s;
    }

    public boolean portAutosenseValid() {
        return (srbStatus & SrbStatus.AUTOSENSE_VALID) != 0;
    }

    public int portScsiStatus() {
        return scsiStatus;
    }

    /** {@code DataTransferLength} after completion: the bytes actually moved. */
    public int portDataTransferLength() {
        return dataTransferLength;
    }

    public HostBuffer portDataBuffer() {
        return dataBuffer;
    }

    /** The valid sense bytes (empty unless AUTOSENSE_VALID). */
    public byte[] portSense() {
        if (!portAutosenseValid()) {
            return new byte[0];
        }
        int n = Math.max(0, Math.min(senseInfoBufferLength, SENSE_BUFFER_SIZE));
        byte[] b = new byte[n];
        senseBuffer.get(0, b, 0, n);
        return b;
    }

    /** Sets the outcome of a request the port completes itself (aborted, flushed, adapter stopped). */
    void portComplete(SrbStatus status) {
        srbStatus = status.code();
        if (status != SrbStatus.SUCCESS && status != SrbStatus.DATA_OVERRUN) {
            dataTransferLength = 0;
        }
    }

    /** Returns the SRB to its adapter's pool; the caller owns the data buffer. */
    public void recycle() {
        state = SrbState.FREE;
        dataBuffer = null;
        completion = null;
        context = null;
        nextSrb = null;
        adapter.recycle(this);
    }

    // ---- miniport side (Srb) ------------------------------------------------------------

    private void owned() {
        if (state != SrbState.MINIPORT) {
            adapter.verifyFailed(VerifierRule.SRB_USED_AFTER_COMPLETION, System.identityHashCode(this), 0,
                    "SRB (function " + function + ") accessed by the miniport in state " + state);
        }
    }

    @Override public SrbFunction function() { owned(); return function; }
    @Override public SrbStatus srbStatus() { owned(); return SrbStatus.of(srbStatus); }
    @Override public int srbStatusByte() { owned(); return srbStatus; }
    @Override public void setSrbStatus(SrbStatus status) { owned(); srbStatus = status.code(); }

    @Override
    public void setSrbStatus(SrbStatus status, boolean autosenseValid) {
        owned();
        srbStatus = status.code() | (autosenseValid ? SrbStatus.AUTOSENSE_VALID : 0);
    }

    @Override public int scsiStatus() { owned(); return scsiStatus; }
    @Override public void setScsiStatus(int s) { owned(); scsiStatus = s & 0xFF; }
    @Override public int pathId() { owned(); return lu.pathId(); }
    @Override public int targetId() { owned(); return lu.targetId(); }
    @Override public int lun() { owned(); return lu.lun(); }
    @Override public int queueTag() { owned(); return queueTag; }
    @Override public int queueAction() { owned(); return queueAction; }
    @Override public int srbFlags() { owned(); return srbFlags; }
    @Override public int cdbLength() { owned(); return cdbLength; }

    @Override
    public int cdb(int index) {
        owned();
        if (index < 0 || index >= cdbLength) {
            throw new IndexOutOfBoundsException("CDB byte " + index + " of " + cdbLength);
        }
        return cdb[index] & 0xFF;
    }

    @Override
    public int copyCdb(byte[] dst) {
        owned();
        System.arraycopy(cdb, 0, dst, 0, cdbLength);
        return cdbLength;
    }

    @Override public int dataTransferLength() { owned(); return dataTransferLength; }

    @Override
    public void setDataTransferLength(int length) {
        owned();
        if (length < 0 || length > dataTransferLength) {
            throw new IllegalArgumentException("DataTransferLength may only shrink: " + length + " > " + dataTransferLength);
        }
        dataTransferLength = length;
    }

    @Override
    public MemoryBuffer dataBuffer() {
        owned();
        return dataBuffer;
    }

    @Override
    public MemoryBuffer senseInfoBuffer() {
        owned();
        return senseBuffer;
    }

    @Override public int senseInfoBufferLength() { owned(); return senseInfoBufferLength; }

    @Override
    public void setSenseInfoBufferLength(int length) {
        owned();
        if (length < 0 || length > SENSE_BUFFER_SIZE) {
            throw new IllegalArgumentException("SenseInfoBufferLength " + length + " exceeds the buffer (" + SENSE_BUFFER_SIZE + ")");
        }
        senseInfoBufferLength = length;
    }

    @Override public int timeOutValue() { owned(); return timeOutValue; }

    @Override
    public MemoryBuffer srbExtension() {
        owned();
        return srbExtension;
    }

    @Override
    public Srb nextSrb() {
        owned();
        return nextSrb;
    }

    /** Whether {@code virtualAddress} lies in memory that belongs to this SRB. */
    boolean owns(long virtualAddress) {
        return (dataBuffer != null && virtualAddress >= dataBuffer.virtualAddress()
                && virtualAddress < dataBuffer.virtualAddress() + dataBuffer.length())
                || (virtualAddress >= share.slab().virtualAddress() + share.offset()
                && virtualAddress < share.slab().virtualAddress() + share.offset() + share.length());
    }

    @Override
    public String toString() {
        return "SRB[" + function + " " + (lu == null ? "-" : lu.address()) + " tag " + queueTag + " " + state + "]";
    }
}
