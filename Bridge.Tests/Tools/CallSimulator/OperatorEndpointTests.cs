using System.Text;
using Bridge.CallSimulator.Outbound;
using Bridge.HttpTools.Callbacks;

namespace Bridge.Tests.Tools.CallSimulator;

/// <summary>The operator's side of the outbound test calls keeps a callback only when its signature verifies with the callback secret.</summary>
public sealed class OperatorEndpointTests
{
    private const string Secret = "operator-endpoint-secret-0123456789abcdef";

    [Fact]
    public async Task A_callback_signed_with_the_secret_is_kept_by_call_and_event_and_one_signed_otherwise_is_refused()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var endpoint = await OperatorEndpoint.StartAsync(Secret, timeout.Token);
        using var client = new SignedCallbackClient(allowLoopback: true);
        var body = Encoding.UTF8.GetBytes("""{"callSid":"CA1","event":"call.conversation","turns":[]}""");

        var forged = await client.PostAsync(endpoint.Url, OperatorEndpoint.Conversation, body, Encoding.UTF8.GetBytes(Secret + "x"), TimeProvider.System, timeout.Token);
        var signed = await client.PostAsync(endpoint.Url, OperatorEndpoint.Conversation, body, Encoding.UTF8.GetBytes(Secret), TimeProvider.System, timeout.Token);
        var kept = await endpoint.ReceivedAsync("CA1", OperatorEndpoint.Conversation, timeout.Token);

        Assert.Equal((CallbackResult.Refused, 401), (forged.Result, forged.Status));
        Assert.Equal(CallbackResult.Delivered, signed.Result);
        Assert.Equal(1, endpoint.Refused);
        Assert.Equal("call.conversation", kept.GetProperty("event").GetString());
    }
}
