package io.vhba.miniport;

/** {@code INTERFACE_TYPE} (wdm.h): the bus an adapter sits on. */
public enum InterfaceType {
    INTERNAL,
    PCI_BUS
}
