using System.Net;
using System.Text;
using Bridge.HttpTools;
using Bridge.HttpTools.Callbacks;

namespace Bridge.Tests.HttpTools;

/// <summary>
/// The one client of operators' callbacks (the api's outcome, the worker's conversation): each attempt signed anew with
/// the event named; a 5xx, 408, 429 or no answer tried again up to the policy's attempts; a 4xx never.
/// </summary>
public sealed class SignedCallbackClientTests
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("callback-secret-0123456789abcdef0123");
    private static readonly Uri Url = new("https://crm.example.com/calls/conversation");
    private static readonly CallbackRetryPolicy Quick = new() { MaxAttempts = 4, FirstDelay = TimeSpan.FromMilliseconds(1) };

    [Fact]
    public async Task A_5xx_is_tried_again_and_each_attempt_is_signed_with_the_event_named()
    {
        var operatorSide = new ScriptedOperator(HttpStatusCode.ServiceUnavailable, HttpStatusCode.BadGateway, HttpStatusCode.NoContent);
        using var client = new SignedCallbackClient(operatorSide);
        var body = Encoding.UTF8.GetBytes("""{"callSid":"CA1"}""");
        var retried = new List<int>();

        var (last, attempts) = await client.DeliverAsync(Url, "call.conversation", body, Secret, Quick, TimeProvider.System, (_, attempt, _) => retried.Add(attempt), CancellationToken.None);

        Assert.Equal((CallbackResult.Delivered, 3), (last.Result, attempts));
        Assert.Equal([1, 2], retried);
        Assert.All(operatorSide.Requests, r =>
        {
            Assert.Equal("call.conversation", r.Event);
            Assert.True(ToolRequestSigner.Verify(Secret, r.Timestamp, r.Signature, r.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        });
    }

    [Fact]
    public async Task A_4xx_is_not_tried_again()
    {
        var operatorSide = new ScriptedOperator(HttpStatusCode.Unauthorized);
        using var client = new SignedCallbackClient(operatorSide);

        var (last, attempts) = await client.DeliverAsync(Url, "call.conversation", [], Secret, Quick, TimeProvider.System, null, CancellationToken.None);

        Assert.Equal((CallbackResult.Refused, 401, 1), (last.Result, last.Status, attempts));
    }

    [Fact]
    public async Task An_operator_that_keeps_failing_gets_the_policys_attempts_and_no_more()
    {
        var operatorSide = new ScriptedOperator(HttpStatusCode.InternalServerError);
        using var client = new SignedCallbackClient(operatorSide);

        var (last, attempts) = await client.DeliverAsync(Url, "call.conversation", [], Secret, Quick, TimeProvider.System, null, CancellationToken.None);

        Assert.Equal((CallbackResult.Failed, 4), (last.Result, attempts));
        Assert.Equal(4, operatorSide.Requests.Count);
    }

    [Fact]
    public void Waits_grow_fourfold_within_their_jitter_and_a_retry_after_is_honoured_up_to_the_cap()
    {
        var policy = new CallbackRetryPolicy();

        Assert.InRange(policy.DelayBefore(2, null), TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(1.2));
        Assert.InRange(policy.DelayBefore(3, null), TimeSpan.FromSeconds(3.2), TimeSpan.FromSeconds(4.8));
        Assert.InRange(policy.DelayBefore(4, null), TimeSpan.FromSeconds(12.8), TimeSpan.FromSeconds(19.2));
        Assert.Equal(TimeSpan.FromSeconds(7), policy.DelayBefore(2, TimeSpan.FromSeconds(7)));
        Assert.Equal(policy.MaxDelay, policy.DelayBefore(2, TimeSpan.FromHours(1)));
    }

    private sealed class ScriptedOperator(params HttpStatusCode[] answers) : HttpMessageHandler
    {
        public sealed record Request(string? Timestamp, string? Signature, string? Event, byte[] Body);

        public List<Request> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Add(new Request(
                request.Headers.GetValues(ToolRequestSigner.TimestampHeader).Single(),
                request.Headers.GetValues(ToolRequestSigner.SignatureHeader).Single(),
                request.Headers.GetValues(SignedCallbackClient.EventHeader).Single(),
                await request.Content!.ReadAsByteArrayAsync(cancellationToken)));
            return new HttpResponseMessage(answers[Math.Min(Requests.Count, answers.Length) - 1]);
        }
    }
}
