using Microsoft.Extensions.Logging.Testing;
using Bridge.MediaWorker.Calls;
using Bridge.TwilioRest;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class TransferCallToolTests
{
    private static readonly CallToolContext Call = new("CAfeedfacefeedfacefeedfacefeedface", "MZ0", "tooluse-1");

    [Fact]
    public async Task Without_a_transfer_target_the_transfer_is_declined_and_the_log_says_which_setting_is_missing()
    {
        var logger = new FakeLogger<TransferCallTool>();
        var tool = new TransferCallTool(Control(), Options.Create(new CallOptions()), logger);

        var result = await tool.InvokeAsync(Call, "{}", CancellationToken.None);

        Assert.Null(result.EndCallAfterPlayback);
        Assert.Contains("No one is available", result.ResultJson, StringComparison.Ordinal);
        var warning = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(Call.CallSid, warning.Message, StringComparison.Ordinal);
        Assert.Contains("Calls:TransferTarget is not set", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_transfer_target_the_call_is_transferred_after_playback()
    {
        var logger = new FakeLogger<TransferCallTool>();
        var tool = new TransferCallTool(Control(), Options.Create(new CallOptions { TransferTarget = "+15005550001" }), logger);

        var result = await tool.InvokeAsync(Call, "{}", CancellationToken.None);

        Assert.NotNull(result.EndCallAfterPlayback);
        Assert.DoesNotContain(logger.Collector.GetSnapshot(), e => e.Level >= LogLevel.Warning);
    }

    private static TwilioCallControl Control() => new(new HttpClient(), "f1e2d3c4b5a697887766554433221100", "AC0123456789abcdef0123456789abcdef", NullLogger<TwilioCallControl>.Instance);
}
