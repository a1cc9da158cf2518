using Bridge.HttpTools.Callbacks;

namespace Bridge.MediaWorker.Outbound;

/// <summary>
/// How conversation callbacks travel: the signed callback client (public addresses only; loopback too in Development,
/// as the api's), its retries, and how long a stopping worker waits for those still under way.
/// </summary>
public sealed record ConversationCallbackDelivery(SignedCallbackClient Client, CallbackRetryPolicy Retries, TimeSpan DrainWait) : IDisposable
{
    /// <summary>A stopping worker waits this long for callbacks still being delivered, after its calls have drained.</summary>
    public static readonly TimeSpan DefaultDrainWait = TimeSpan.FromSeconds(15);

    public void Dispose() => Client.Dispose();
}
