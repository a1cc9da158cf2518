namespace Bridge.Softphone.Calls;

/// <summary>
/// The softphone's own HTTP clients, outside the service defaults' resilience pipeline: Twilio does not retry a
/// webhook, and the worker's event feed is one long response that no request timeout may cut.
/// </summary>
internal sealed class SoftphoneHttp : IDisposable
{
    public HttpClient Twilio { get; } = new() { Timeout = TimeSpan.FromSeconds(15) };

    public HttpClient CallEvents { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    public void Dispose()
    {
        Twilio.Dispose();
        CallEvents.Dispose();
    }
}
