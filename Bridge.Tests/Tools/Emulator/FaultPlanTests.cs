using Bridge.Emulator.Faults;

namespace Bridge.Tests.Tools.Emulator;

public sealed class FaultPlanTests
{
    [Fact]
    public void A_fault_list_parses_into_kinds_arguments_and_triggers()
    {
        var plan = FaultPlan.Parse("throttle; exception=throttlingException@3, reset@1.5s, corrupt-crc@0, slow=50ms");

        Assert.Equal([FaultKind.Throttle, FaultKind.Exception, FaultKind.Reset, FaultKind.CorruptCrc, FaultKind.SlowOutput], plan.Faults.Select(f => f.Kind));
        Assert.Equal((ExceptionTypes.Throttling, 3), (plan.Faults[1].ExceptionType, plan.Faults[1].AfterInputEvents));
        Assert.Equal(TimeSpan.FromSeconds(1.5), plan.Faults[2].AfterTime);
        Assert.Equal(0, plan.Faults[3].AfterInputEvents);
        Assert.Equal(TimeSpan.FromMilliseconds(50), plan.Faults[4].Delay);
    }

    [Fact]
    public void Without_a_trigger_a_fault_fires_after_the_first_event_and_an_exception_is_the_instability_one()
    {
        var fault = Assert.Single(FaultPlan.Parse("exception").Faults);

        Assert.Equal((1, null), (fault.AfterInputEvents, fault.AfterTime));
        Assert.Equal(ExceptionTypes.ModelStreamError, fault.ExceptionType);
        Assert.Equal("System instability detected. Please retry your request.", ExceptionTypes.DefaultMessage(fault.ExceptionType));
    }

    [Theory]
    [InlineData("explode", "unknown fault 'explode'")]
    [InlineData("exception=oopsException", "unknown exception type 'oopsException'")]
    [InlineData("reset@soon", "bad trigger '@soon'")]
    [InlineData("slow=fast", "bad delay 'fast'")]
    public void A_bad_fault_list_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(FaultPlan.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_list_is_no_fault()
    {
        Assert.True(FaultPlan.Parse("  ").IsEmpty);
        Assert.True(FaultPlan.Parse(null).IsEmpty);
    }
}
