package io.vhba.miniport;

/**
 * {@code HW_BUILDIO}: DISPATCH_LEVEL, no lock held. Prepares the request; returns false
 * when it completed the SRB itself, in which case the SRB never reaches StartIo.
 */
@FunctionalInterface
public interface HwStorBuildIo<E> {
    boolean buildIo(E deviceExtension, Srb srb);
}
