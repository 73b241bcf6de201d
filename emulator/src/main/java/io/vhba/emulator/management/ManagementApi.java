package io.vhba.emulator.management;

import io.vhba.emulator.runtime.Vhba;

/**
 * The management API's route table: every resource, declared in the class that serves it. The paths and their
 * meaning are documented in README.md ("Management API").
 */
public final class ManagementApi {
    private ManagementApi() {}

    public static RouteTable routes(Vhba vhba) {
        RouteTable t = new RouteTable();
        SystemResources.register(t, vhba);
        TargetResources.register(t, vhba);
        AclResources.register(t, vhba);
        SessionResources.register(t, vhba);
        FaultResources.register(t, vhba);
        AdapterResources.register(t, vhba);
        return t;
    }
}
