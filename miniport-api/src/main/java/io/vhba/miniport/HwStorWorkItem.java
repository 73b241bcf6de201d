package io.vhba.miniport;

/**
 * {@code HW_WORKITEM}: runs at PASSIVE_LEVEL on a system worker thread (never a processor's
 * DPC/ISR context), with no Storport lock held. It may requeue {@code worker} or free it.
 */
@FunctionalInterface
public interface HwStorWorkItem<E> {
    void workItem(E deviceExtension, Object context, StorWorker worker);
}
