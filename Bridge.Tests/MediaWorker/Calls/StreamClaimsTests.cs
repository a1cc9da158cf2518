using Microsoft.Extensions.DependencyInjection;
using Bridge.MediaWorker.Calls;
using Bridge.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.MediaWorker.Calls;

public sealed class StreamClaimsTests : IDisposable
{
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
    private readonly ServiceProvider _metrics = TestTelemetry.NewMeters();
    private readonly StreamClaims _claims;

    public StreamClaimsTests() => _claims = new StreamClaims(_time, _metrics.MeterFactory());

    public void Dispose() => _metrics.Dispose();

    [Fact]
    public void A_call_sid_opens_one_stream_while_its_call_is_live_and_is_remembered_until_its_token_expires()
    {
        var expires = _time.GetUtcNow().AddSeconds(60);
        var claim = _claims.TryClaim(CallSid, expires);

        Assert.NotNull(claim);
        Assert.Null(_claims.TryClaim(CallSid, expires));
        claim!.Dispose();
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(_claims.TryClaim(CallSid, expires));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(_claims.TryClaim(CallSid, expires.AddSeconds(60)));
    }

    [Fact]
    public void A_live_call_keeps_its_sid_past_its_token_s_expiry_and_lets_it_go_when_it_ends()
    {
        var expires = _time.GetUtcNow().AddSeconds(60);
        var claim = _claims.TryClaim(CallSid, expires)!;

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(_claims.TryClaim(CallSid, _time.GetUtcNow().AddSeconds(60)));
        claim.Dispose();

        Assert.Equal(0, _claims.Count);
    }

    [Fact]
    public void Memory_is_bounded_by_the_token_lifetime_whatever_the_number_of_calls()
    {
        for (var i = 0; i < 10_000; i++)
        {
            _claims.TryClaim($"CA{i:x32}", _time.GetUtcNow().AddSeconds(60))!.Dispose();
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // Ten calls a second for 1,000 s, each remembered for 60 s: about 600 at any time.
        Assert.InRange(_claims.Count, 590, 610);
    }
}
