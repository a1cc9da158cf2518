using System.Net;
using System.Net.WebSockets;
using System.Text;
using Bridge.Tests.Support;

namespace Bridge.Tests.MediaWorker.PublicEdge;

/// <summary>
/// An attacker with one captured upgrade signature (the same for every call): lanes that each open a signed
/// WebSocket from <paramref name="address"/> (X-Forwarded-For, believed from the loopback proxy), send Twilio's
/// <c>connected</c> and never <c>start</c>, hold the socket until the worker closes it, and open another.
/// </summary>
internal sealed class PreStartFlood(DirectStream streams, string address, int lanes, bool reopen = true)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, int> _closes = [];
    private int _holding;
    private int _mostHeld;
    private int _target = int.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Opened { get; private set; }

    /// <summary>Upgrades refused with 429: the address already held its share of the pre-start pool.</summary>
    public int TooMany { get; private set; }

    /// <summary>How the worker closed the held sockets, by close status (1008 start timeout, 1013 evicted).</summary>
    public IReadOnlyDictionary<int, int> Closes
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<int, int>(_closes);
            }
        }
    }

    /// <summary>Completes once the lanes hold (or have held) <paramref name="sockets"/> open sockets at the same time.</summary>
    public Task Holding(int sockets)
    {
        lock (_gate)
        {
            _target = sockets;
            if (_mostHeld >= sockets)
            {
                _reached.TrySetResult();
            }
            return _reached.Task;
        }
    }

    public Task RunAsync(CancellationToken stop) => Task.WhenAll(Enumerable.Range(0, lanes).Select(_ => LaneAsync(stop)));

    private async Task LaneAsync(CancellationToken stop)
    {
        try
        {
            do
            {
                using var socket = streams.NewSocket();
                socket.Options.SetRequestHeader("X-Forwarded-For", address);
                try
                {
                    await socket.ConnectAsync(streams.MediaUrl, stop);
                }
                catch (WebSocketException) when (socket.HttpStatusCode == HttpStatusCode.TooManyRequests)
                {
                    lock (_gate)
                    {
                        TooMany++;
                    }
                    // Paced only so that refused lanes do not spin; the held ones are what the test is about.
                    await Task.Delay(20, stop);
                    continue;
                }
                Changed(+1);
                try
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes("""{"event":"connected","protocol":"Call","version":"1.0.0"}"""), WebSocketMessageType.Text, true, stop);
                    var buffer = new byte[256];
                    while ((await socket.ReceiveAsync(buffer, stop)).MessageType != WebSocketMessageType.Close)
                    {
                    }
                    lock (_gate)
                    {
                        var status = (int)(socket.CloseStatus ?? 0);
                        _closes[status] = _closes.GetValueOrDefault(status) + 1;
                    }
                }
                finally
                {
                    Changed(-1);
                }
            }
            while (reopen);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private void Changed(int delta)
    {
        lock (_gate)
        {
            _holding += delta;
            _mostHeld = Math.Max(_mostHeld, _holding);
            if (delta > 0)
            {
                Opened++;
            }
            if (_holding >= _target)
            {
                _reached.TrySetResult();
            }
        }
    }
}
