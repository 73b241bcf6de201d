/**
 * The management API: HTTP/JSON on Netty's HTTP codec, on an event loop of its own (never a simulated processor),
 * with a declarative route table. It reads and changes the running emulator only through the public methods of
 * {@link io.vhba.emulator.runtime.Vhba} and of the objects it hands out (fault injector, session registry, adapters);
 * changes that wait (LUN add and remove, resize, restart) run on a small worker pool with bounded waits.
 */
package io.vhba.emulator.management;
