package io.vhba.emulator.it;

import io.vhba.miniport.DriverObject;
import io.vhba.miniport.MiniportDriver;
import io.vhba.miniport.NotificationType;
import io.vhba.miniport.StorPort;
import io.vhba.samples.virtual.VirtualMiniport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A test-only miniport with a real bug: the sample virtual miniport, except that once {@link #ARMED} it completes
 * the next request twice (StorPortNotification(RequestComplete) for an SRB it no longer owns), which the Storport
 * verifier stops the adapter for (0xF1/0x2004 DOUBLE_COMPLETION). It is found, like any miniport, through
 * {@link java.util.ServiceLoader}, but only inside {@link #withDriverVisible}: the other tests see the usual three.
 */
public final class DoubleCompletingMiniport implements MiniportDriver {
    /** Armed: the next RequestComplete is sent twice, then the miniport behaves again. */
    public static final AtomicBoolean ARMED = new AtomicBoolean();

    @Override
    public String name() {
        return "doublecomplete";
    }

    @Override
    public String description() {
        return "test only: the virtual sample, completing one request twice when armed";
    }

    @Override
    public List<String> hardwareIds() {
        return List.of();
    }

    @Override
    public int driverEntry(StorPort storPort, DriverObject driverObject, String registryPath) {
        StorPort buggy = (StorPort) Proxy.newProxyInstance(StorPort.class.getClassLoader(), new Class<?>[] {StorPort.class},
                (proxy, method, args) -> {
                    Object r = invoke(method, storPort, args);
                    if (method.getName().equals("notification") && args[0] == NotificationType.REQUEST_COMPLETE
                            && ARMED.compareAndSet(true, false)) {
                        invoke(method, storPort, args); // the bug
                    }
                    return r;
                });
        return new VirtualMiniport().driverEntry(buggy, driverObject, registryPath);
    }

    private static Object invoke(java.lang.reflect.Method m, Object target, Object[] args) throws Throwable {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // a bug check unwinds the miniport as it would without the proxy
        }
    }

    /** Runs {@code body} with this driver registered for the ServiceLoader of the current thread's class loader. */
    public static <T> T withDriverVisible(Path dir, Callable<T> body) throws Exception {
        Path services = Files.createDirectories(dir.resolve("META-INF/services"));
        Files.writeString(services.resolve(MiniportDriver.class.getName()), DoubleCompletingMiniport.class.getName() + "\n");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, DoubleCompletingMiniport.class.getClassLoader())) {
            t.setContextClassLoader(cl);
            return body.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
