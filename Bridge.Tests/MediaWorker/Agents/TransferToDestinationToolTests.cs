using System.Text.Json;
using Bridge.MediaWorker.Agents;
using Bridge.MediaWorker.Calls;
using Bridge.TwilioRest;
using Bridge.MediaWorker.Calls.Tools;
using Bridge.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace Bridge.Tests.MediaWorker.Agents;

/// <summary>transfer_call with named destinations: the model is given the names, a known one transfers, an unknown one is refused.</summary>
public sealed class TransferToDestinationToolTests : IAsyncLifetime
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private static readonly CallToolContext Call = new("CAfeedfacefeedfacefeedfacefeedface", "MZ0123", "tooluse-1");
    private static readonly Dictionary<string, string> Destinations = new() { ["billing"] = "+15005550001", ["warehouse"] = "sip:warehouse@pbx.example.com" };

    private FakeTwilioApi _twilio = null!;
    private TransferToDestinationTool _tool = null!;

    public async Task InitializeAsync()
    {
        _twilio = await FakeTwilioApi.StartAsync();
        var http = new HttpClient(new TwilioApiRedirect(_twilio.BaseAddress) { InnerHandler = new SocketsHttpHandler() });
        _tool = new TransferToDestinationTool(Destinations, new TwilioCallControl(http, "f1e2d3c4b5a697887766554433221100", AccountSid, NullLogger<TwilioCallControl>.Instance));
    }

    public async Task DisposeAsync() => await _twilio.DisposeAsync();

    [Fact]
    public void The_model_is_told_the_destination_names_in_the_schema()
    {
        using var schema = JsonDocument.Parse(_tool.Definition.InputSchemaJson);

        Assert.Equal("transfer_call", _tool.Definition.Name);
        Assert.Equal(["billing", "warehouse"], schema.RootElement.GetProperty("properties").GetProperty("destination").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("destination", schema.RootElement.GetProperty("required")[0].GetString());
        Assert.Contains("billing, warehouse", _tool.Definition.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("billing", "<Number>+15005550001</Number>")]
    [InlineData("warehouse", "<Sip>sip:warehouse@pbx.example.com</Sip>")]
    public async Task A_named_destination_transfers_the_call_there_after_the_model_spoke(string destination, string dialed)
    {
        var result = await _tool.InvokeAsync(Call, $$"""{"destination":"{{destination}}","reason":"asked"}""", CancellationToken.None);

        Assert.Contains("will be transferred to " + destination, result.ResultJson, StringComparison.Ordinal);
        Assert.Empty(_twilio.Updates);
        await result.EndCallAfterPlayback!(CancellationToken.None);
        var update = Assert.Single(_twilio.Updates);
        Assert.Equal((AccountSid, Call.CallSid), (update.AccountSid, update.CallSid));
        Assert.Contains(dialed, update.Form["Twiml"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"destination":"sales"}""", "There is no destination 'sales'. The destinations are: billing, warehouse.")]
    [InlineData("""{}""", "Say where to transfer the caller: one of billing, warehouse.")]
    [InlineData("""nonsense""", "Say where to transfer the caller")]
    public async Task An_unknown_or_missing_destination_is_refused_with_the_names_and_nothing_happens(string input, string error)
    {
        var result = await _tool.InvokeAsync(Call, input, CancellationToken.None);

        Assert.Null(result.EndCallAfterPlayback);
        Assert.Contains(error, JsonDocument.Parse(result.ResultJson).RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(_twilio.Updates);
    }
}
