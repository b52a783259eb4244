using System.Reflection;
using GovFlow.Host.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using NUnit.Framework;
using Quartz;

namespace GovFlow.Host.Tests;

/// <summary>Stopping the host never waits on the scheduler longer than the host's shutdown time.</summary>
[TestFixture]
public sealed class SchedulerHostTests
{
    [Test]
    public async Task A_scheduler_that_never_stops_is_left_when_the_shutdown_time_is_up()
    {
        var scheduler = DispatchProxy.Create<IScheduler, HangingScheduler>();
        var host = new SchedulerHost(new OneScheduler(scheduler), NullLogger<SchedulerHost>.Instance);
        await host.StartAsync(CancellationToken.None);
        using var shutdownTime = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var stop = host.StopAsync(shutdownTime.Token);
        var finished = await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(10)));

        Assert.Multiple(() =>
        {
            Assert.That(finished, Is.SameAs(stop), "the host's stop returned once its shutdown time was up");
            Assert.That(((HangingScheduler)(object)scheduler).ShutdownAsked, Is.True, "the scheduler was asked to stop");
            Assert.That(host.LeftRunning, Is.True, "the program is told to exit once the host has stopped");
        });
        if (finished == stop) await stop; // surfaces an exception from the stop itself
    }

    /// <summary>A scheduler whose shutdown never completes (Quartz retrying a database that has gone).</summary>
    public class HangingScheduler : DispatchProxy
    {
        public bool ShutdownAsked { get; private set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IScheduler.Shutdown))
            {
                ShutdownAsked = true;
                return new ValueTask(new TaskCompletionSource().Task);
            }
            return targetMethod.ReturnType == typeof(ValueTask) ? ValueTask.CompletedTask : null;
        }
    }

    private sealed class OneScheduler(IScheduler scheduler) : ISchedulerFactory
    {
        public ValueTask<List<IScheduler>> GetAllSchedulers(CancellationToken cancellationToken = default) => new([scheduler]);
        public ValueTask<IScheduler> GetScheduler(CancellationToken cancellationToken = default) => new(scheduler);
        public ValueTask<IScheduler?> GetScheduler(string schedName, CancellationToken cancellationToken = default) => new(scheduler);
        public ValueTask<IScheduler?> LookupScheduler(string schedName, CancellationToken cancellationToken = default) => new(scheduler);
    }
}
