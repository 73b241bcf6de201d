package io.vhba.emulator.verifier;

import io.vhba.emulator.kernel.KernelRule;

/**
 * Every rule the verifier checks, with the bug check sub-code it raises (parameter 1 of bug
 * check 0xF1 SCSI_VERIFIER_DETECTED_VIOLATION). Codes 0x1000-0x2005 are Windows' own;
 * 0x3000 and up are vHBA's, for Static Driver Verifier rules that Windows only checks
 * statically (the SDV rule name is given).
 */
public enum VerifierRule {
    BAD_INITIALIZATION_DATA(0x1000, "StorPortInitialize", "the miniport passed bad arguments to StorPortInitialize"),
    ROUTINE_TOO_LONG(0x1002, "-", "a miniport routine ran longer than its limit"),
    INVALID_SRB_STATUS(0x1004, "StorPortStatusPending", "the miniport completed a request with an invalid SRB status"),
    BAD_VIRTUAL_ADDRESS(0x1006, "-", "the miniport passed an invalid virtual address to StorPortGetPhysicalAddress"),
    STALL_TOO_LONG(0x2001, "StorPortStartIo", "StorPortStallExecution for more than 0.1 s"),
    UNCACHED_EXTENSION_WRONG_TIME(0x2002, "-", "StorPortGetUncachedExtension outside HwStorFindAdapter or before SrbExtensionSize"),
    BAD_DEVICE_BASE(0x2003, "-", "StorPortGetDeviceBase with an address that is not one of the adapter's access ranges"),
    DOUBLE_COMPLETION(0x2004, "-", "the miniport completed a request more than once"),
    BAD_REGISTER_ADDRESS(0x2005, "-", "a register access outside the adapter's declared register map"),
    SRB_USED_AFTER_COMPLETION(0x3001, "-", "the miniport touched an SRB after completing it"),
    DPC_INITIALIZED_OUTSIDE_PASSIVE_INIT(0x3002, "StorPortEnablePassive", "StorPortInitializeDpc outside the passive initialisation routine"),
    ENABLE_PASSIVE_OUTSIDE_HW_INITIALIZE(0x3003, "StorPortPassiveFromHwInit", "StorPortEnablePassiveInitialization outside HwStorInitialize"),
    TIMER_WITHOUT_ROUTINE(0x3004, "StorPortTimer", "RequestTimerCall without a timer routine"),
    UNDOCUMENTED_NOTIFICATION(0x3005, "StorPortNotification2", "StorPortNotification with an undocumented type or bad arguments"),
    COMPLETE_REQUEST_BY_MINIPORT(0x3006, "StorPortCompleteRequest", "StorPortCompleteRequest with SP_UNTAGGED as Lun from a full-duplex miniport"),
    QUEUE_FROZEN_BY_MINIPORT(0x3007, "-", "the miniport set SRB_STATUS_QUEUE_FROZEN"),
    BUILDIO_RETURN_VALUE(0x3008, "StorPortBuildIo", "HwStorBuildIo returned false without completing the SRB, or true after completing it"),
    FIND_ADAPTER_CONFIG(0x3009, "StorPortFindAdapter", "HwStorFindAdapter returned FOUND without MaximumTransferLength and NumberOfPhysicalBreaks"),
    IRQL(0x300A, "StorPortIrql", "a Storport routine called at the wrong IRQL or with the wrong locks"),
    SPIN_LOCK_DOUBLE_ACQUIRE(0x300B, "StorPortSpinLock", "a spin lock acquired twice"),
    SPIN_LOCK_ORDER(0x300C, "StorPortSpinLock3", "spin locks acquired out of order"),
    SPIN_LOCK_RELEASE_NOT_HELD(0x300D, "StorPortSpinLock4", "a spin lock released but not held"),
    IRQL_NOT_MONOTONIC(0x300E, "SpChangeIrql", "IRQL raised down or lowered up"),
    ROUTINE_LEAKED_IRQL_OR_LOCK(0x300F, "SpChangeIrql", "a routine returned at a different IRQL or holding a lock"),
    POOL_DOUBLE_FREE(0x3010, "StorPortAllocatePool", "pool freed twice or allocated twice"),
    BUSY_MID_TRANSACTION(0x3011, "-", "SRB_STATUS_BUSY for a request the miniport had already started on the hardware"),
    PROHIBITED_IN_HALF_DUPLEX_START_IO(0x3012, "HwStorPortProhibitedDDIs", "pool allocation or spin lock in half-duplex HwStorStartIo"),
    DPC_WATCHDOG(0x3013, "-", "a DPC ran too long (DPC_WATCHDOG_VIOLATION)"),
    INTERRUPT_STORM(0x3014, "-", "a level-triggered interrupt never deasserted"),
    MINIPORT_EXCEPTION(0x3015, "-", "a miniport routine threw (KMODE_EXCEPTION_NOT_HANDLED)"),
    DMA_FAULT(0x3016, "-", "the device was programmed to DMA outside host memory allocations"),
    PROHIBITED_DDI(0x3017, "HwStorPortProhibitedDDIs", "a physical miniport called a kernel routine (Ke*) instead of its Storport wrapper"),
    POOL_LEAK(0x3018, "StorPortAllocatePool", "the adapter stopped while its miniport still held pool"),
    PERF_OPTS_WITHOUT_DATA(0x3019, "StorPortPerfOpts", "StorPortInitializePerfOpts with a NULL PerfConfigData"),
    DPC_TARGET_PROCESSOR(0x301A, "-", "a DPC aimed at a processor that does not exist"),
    DPC_FLUSH_DEADLOCK(0x301B, "-", "KeFlushQueuedDpcs on a processor while another processor flushes (they would wait for each other)"),
    // KMDF's own bug check 0x10D WDF_VIOLATION, parameter 1 from wdfbugcodes.h.
    WDF_VERIFIER_FATAL_ERROR(0x3, VerifierRule.WDF_VIOLATION, "KMDF", "WdfDpcCancel(Wait = TRUE) from the DPC's own callback would wait for itself"),
    WDF_INVALID_HANDLE(0x5, VerifierRule.WDF_VIOLATION, "KMDF", "a framework handle used after its object was deleted"),
    WDF_VERIFIER_IRQL_MISMATCH(0xE, VerifierRule.WDF_VIOLATION, "KMDF", "a framework routine that waits called above PASSIVE_LEVEL");

    /** Bug check 0xF1 SCSI_VERIFIER_DETECTED_VIOLATION. */
    public static final int SCSI_VERIFIER_DETECTED_VIOLATION = 0xF1;
    /** Bug check 0x10D WDF_VIOLATION (the KMDF facade's rules). */
    public static final int WDF_VIOLATION = 0x10D;

    private final int subCode;
    private final int bugCheckCode;
    private final String sdvRule;
    private final String description;

    VerifierRule(int subCode, String sdvRule, String description) {
        this(subCode, SCSI_VERIFIER_DETECTED_VIOLATION, sdvRule, description);
    }

    VerifierRule(int subCode, int bugCheckCode, String sdvRule, String description) {
        this.subCode = subCode;
        this.bugCheckCode = bugCheckCode;
        this.sdvRule = sdvRule;
        this.description = description;
    }

    /** The bug check code this rule raises: 0xF1 for Storport rules, 0x10D for KMDF ones. */
    public int bugCheckCode() {
        return bugCheckCode;
    }

    public int subCode() {
        return subCode;
    }

    public String sdvRule() {
        return sdvRule;
    }

    public String description() {
        return description;
    }

    /** The rule for a kernel-level finding. */
    public static VerifierRule of(KernelRule k) {
        return switch (k) {
            case SPIN_LOCK_DOUBLE_ACQUIRE -> SPIN_LOCK_DOUBLE_ACQUIRE;
            case SPIN_LOCK_ORDER -> SPIN_LOCK_ORDER;
            case SPIN_LOCK_RELEASE_NOT_HELD -> SPIN_LOCK_RELEASE_NOT_HELD;
            case IRQL_NOT_MONOTONIC -> IRQL_NOT_MONOTONIC;
            case IRQL_TOO_HIGH_FOR_LOCK -> IRQL;
            case IRQL_OR_LOCKS_LEAKED -> ROUTINE_LEAKED_IRQL_OR_LOCK;
            case DPC_WATCHDOG -> DPC_WATCHDOG;
            case INTERRUPT_STORM -> INTERRUPT_STORM;
            case WAIT_AT_RAISED_IRQL -> IRQL;
            case WDF_DPC_CANCEL_WAIT_IN_OWN_CALLBACK -> WDF_VERIFIER_FATAL_ERROR;
            case WDF_HANDLE_DELETED -> WDF_INVALID_HANDLE;
            case WDF_IRQL_MISMATCH -> WDF_VERIFIER_IRQL_MISMATCH;
            case DPC_TARGET_PROCESSOR_INVALID -> DPC_TARGET_PROCESSOR;
            case DPC_FLUSH_DEADLOCK -> DPC_FLUSH_DEADLOCK;
        };
    }
}
