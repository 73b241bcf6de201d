/**
 * The simulated kernel: processors as dedicated threads (which are also the Netty event
 * loops), per-thread IRQL, per-processor DPC queues, spin locks, interrupt objects and the
 * clock. Semantics follow the Windows kernel (KeInsertQueueDpc, KeAcquireSpinLock, ...) so
 * that Storport's rules (STORPORT.md) can be checked against real interleavings.
 */
package io.vhba.emulator.kernel;
