package io.vhba.emulator.storport;

import io.vhba.emulator.verifier.VerifierRule;
import io.vhba.miniport.HwStorTimerEx;
import io.vhba.miniport.HwStorWorkItem;
import io.vhba.miniport.MemoryBuffer;
import io.vhba.miniport.PerfConfigurationData;
import io.vhba.miniport.PerformanceCounter;
import io.vhba.miniport.StartIoPerformanceParameters;
import io.vhba.miniport.StorPortFunctionCode;
import io.vhba.miniport.StorTimer;
import io.vhba.miniport.StorWorker;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code StorPortExtendedFunction}: a table from function code to handler, like
 * {@link Notifications}. A code with no handler is refused with an
 * {@link UnsupportedOperationException} naming the routine (docs/storport-coverage.md says
 * why each is out of scope); Windows would return STOR_STATUS_NOT_IMPLEMENTED, but a
 * miniport tested here must not pass while depending on a routine nothing emulates.
 */
final class ExtendedFunctions {
    @FunctionalInterface
    private interface Handler {
        Object handle(Adapter a, Object[] args);
    }

    /** {@code KeQueryPerformanceCounter}'s frequency here: nanoseconds. Windows 10 reports 10 MHz; callers must use the frequency. */
    static final long PERFORMANCE_FREQUENCY = 1_000_000_000L;

    private final StorportEngine engine;
    private final Map<StorPortFunctionCode, Handler> table = new EnumMap<>(StorPortFunctionCode.class);

    ExtendedFunctions(StorportEngine engine, io.vhba.miniport.StorPort port) {
        this.engine = engine;
        // The MSI lock pair is also a direct StorPort method; the code path reaches the same routine.
        table.put(StorPortFunctionCode.ACQUIRE_MSI_SPIN_LOCK, (a, args) -> port.acquireMsiSpinLock(a.deviceExtension,
                arg(a, args, 0, Integer.class, StorPortFunctionCode.ACQUIRE_MSI_SPIN_LOCK)));
        table.put(StorPortFunctionCode.RELEASE_MSI_SPIN_LOCK, (a, args) -> {
            port.releaseMsiSpinLock(a.deviceExtension, arg(a, args, 0, Integer.class, StorPortFunctionCode.RELEASE_MSI_SPIN_LOCK),
                    arg(a, args, 1, Integer.class, StorPortFunctionCode.RELEASE_MSI_SPIN_LOCK));
            return io.vhba.miniport.StorStatus.STOR_STATUS_SUCCESS;
        });
        table.put(StorPortFunctionCode.ALLOCATE_POOL, (a, args) ->
                a.pool.allocate(arg(a, args, 0, Integer.class, StorPortFunctionCode.ALLOCATE_POOL),
                        arg(a, args, 1, Integer.class, StorPortFunctionCode.ALLOCATE_POOL)));
        table.put(StorPortFunctionCode.FREE_POOL, (a, args) ->
                a.pool.free(arg(a, args, 0, MemoryBuffer.class, StorPortFunctionCode.FREE_POOL)));
        table.put(StorPortFunctionCode.INITIALIZE_WORKER, (a, args) ->
                a.workItems.initialize(arg(a, args, 0, StorWorker.class, StorPortFunctionCode.INITIALIZE_WORKER)));
        table.put(StorPortFunctionCode.QUEUE_WORK_ITEM, (a, args) -> a.workItems.queue(
                arg(a, args, 0, HwStorWorkItem.class, StorPortFunctionCode.QUEUE_WORK_ITEM),
                arg(a, args, 1, StorWorker.class, StorPortFunctionCode.QUEUE_WORK_ITEM),
                args.length > 2 ? args[2] : null));
        table.put(StorPortFunctionCode.FREE_WORKER, (a, args) ->
                a.workItems.free(arg(a, args, 0, StorWorker.class, StorPortFunctionCode.FREE_WORKER)));
        table.put(StorPortFunctionCode.INITIALIZE_TIMER, (a, args) ->
                a.timerObjects.initialize(arg(a, args, 0, StorTimer.class, StorPortFunctionCode.INITIALIZE_TIMER)));
        table.put(StorPortFunctionCode.REQUEST_TIMER, (a, args) -> a.timerObjects.request(
                arg(a, args, 0, StorTimer.class, StorPortFunctionCode.REQUEST_TIMER),
                arg(a, args, 1, HwStorTimerEx.class, StorPortFunctionCode.REQUEST_TIMER),
                args.length > 2 ? args[2] : null,
                arg(a, args, 3, Number.class, StorPortFunctionCode.REQUEST_TIMER).longValue()));
        table.put(StorPortFunctionCode.FREE_TIMER, (a, args) ->
                a.timerObjects.free(arg(a, args, 0, StorTimer.class, StorPortFunctionCode.FREE_TIMER)));
        table.put(StorPortFunctionCode.INITIALIZE_PERFORMANCE_OPTIMIZATIONS, (a, args) -> {
            boolean query = arg(a, args, 0, Boolean.class, StorPortFunctionCode.INITIALIZE_PERFORMANCE_OPTIMIZATIONS);
            // a NULL PerfConfigData is the miniport's bug the routine reports itself (SDV StorPortPerfOpts)
            Object data = args.length > 1 ? args[1] : null;
            return a.perfOpts.initialize(query, data == null ? null
                    : arg(a, args, 1, PerfConfigurationData.class, StorPortFunctionCode.INITIALIZE_PERFORMANCE_OPTIMIZATIONS));
        });
        table.put(StorPortFunctionCode.GET_START_IO_PERFORMANCE_PARAMETERS, (a, args) -> a.perfOpts.startIoParameters(
                args.length > 0 ? args[0] : null,
                args.length > 1 && args[1] instanceof StartIoPerformanceParameters p ? p : null));
        table.put(StorPortFunctionCode.QUERY_PERFORMANCE_COUNTER, (a, args) ->
                new PerformanceCounter(engine.kernel().nanoTime(), PERFORMANCE_FREQUENCY));
        // The simulated machine is one processor group and one NUMA node holding every processor.
        table.put(StorPortFunctionCode.GET_ACTIVE_GROUP_COUNT, (a, args) -> 1);
        table.put(StorPortFunctionCode.GET_GROUP_AFFINITY, (a, args) ->
                arg(a, args, 0, Integer.class, StorPortFunctionCode.GET_GROUP_AFFINITY) == 0 ? allProcessors() : 0L);
        table.put(StorPortFunctionCode.GET_ACTIVE_NODE_COUNT, (a, args) -> 1);
        table.put(StorPortFunctionCode.GET_NODE_AFFINITY, (a, args) ->
                arg(a, args, 0, Integer.class, StorPortFunctionCode.GET_NODE_AFFINITY) == 0 ? allProcessors() : 0L);
        table.put(StorPortFunctionCode.GET_HIGHEST_NODE_NUMBER, (a, args) -> 0);
        table.put(StorPortFunctionCode.GET_CURRENT_PROCESSOR_NUMBER, (a, args) -> {
            var p = engine.kernel().currentProcessor();
            return p == null ? 0 : p.number();
        });
    }

    private long allProcessors() {
        int n = engine.kernel().processors().size();
        return n >= 64 ? -1L : (1L << n) - 1;
    }

    /** The codes with a handler, for the coverage table's test. */
    boolean implemented(StorPortFunctionCode code) {
        return table.containsKey(code);
    }

    Object dispatch(StorPortFunctionCode code, Adapter a, Object[] args) {
        Handler h = table.get(code);
        if (h == null) {
            throw new UnsupportedOperationException(code.routine() + " (StorPortExtendedFunction "
                    + code + ") is not emulated by vHBA; see docs/storport-coverage.md");
        }
        return h.handle(a, args == null ? new Object[0] : args);
    }

    private static <T> T arg(Adapter a, Object[] args, int i, Class<T> type, StorPortFunctionCode code) {
        if (args.length <= i || !type.isInstance(args[i])) {
            a.verifyFailed(VerifierRule.UNDOCUMENTED_NOTIFICATION, code.code(), i, code.routine() + " argument " + i
                    + " must be a " + type.getSimpleName() + ", got "
                    + (args.length <= i ? "nothing" : args[i] == null ? "null" : args[i].getClass().getSimpleName()));
            throw new IllegalArgumentException("bad " + code.routine() + " arguments");
        }
        return type.cast(args[i]);
    }
}
