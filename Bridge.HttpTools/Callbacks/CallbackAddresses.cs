using System.Net;
using System.Net.Sockets;

namespace Bridge.HttpTools.Callbacks;

/// <summary>
/// Where an operator's callback may go: never to this network or this machine (no server-side request forgery through
/// a callback URL). An address is public unless it is loopback, private (RFC 1918, IPv6 unique-local), link-local
/// (169.254.0.0/16 holds the cloud's instance metadata; fe80::/10), carrier-grade NAT, unspecified, multicast or
/// broadcast — IPv4-mapped IPv6 judged as its IPv4. Development may call this machine (a local sample backend).
/// </summary>
public static class CallbackAddresses
{
    public const int MaxUrlLength = 300;

    private static readonly IPNetwork[] NotPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"),
        IPNetwork.Parse("64:ff9b::/96"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        return !NotPublic.Any(network => network.Contains(address));
    }

    /// <summary>The callback URL, or why it is refused. Only https; in Development also plain http to this machine.</summary>
    public static Uri? Check(string text, bool development, out string? problem)
    {
        problem = null;
        if (text.Length > MaxUrlLength)
        {
            problem = $"must be at most {MaxUrlLength} characters";
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
        {
            problem = "must be an absolute https URL";
            return null;
        }
        if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Fragment))
        {
            problem = "must carry no user name, password or fragment";
            return null;
        }
        var loopback = url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var literal) && IPAddress.IsLoopback(literal));
        if (development && loopback)
        {
            return url;
        }
        if (url.Scheme != "https")
        {
            problem = development ? "must use https (plain http only to this machine, in Development)" : "must use https";
            return null;
        }
        if (loopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && !IsPublic(address)) ||
            url.DnsSafeHost.EndsWith(".internal", StringComparison.OrdinalIgnoreCase) || url.DnsSafeHost.EndsWith(".local", StringComparison.OrdinalIgnoreCase))
        {
            problem = "must be a public address, not this machine or a private network";
            return null;
        }
        return url;
    }

    /// <summary>
    /// Connects only to public addresses (each address a name resolves to is checked when connecting, so a name that
    /// later resolves privately, by DNS rebinding or otherwise, is refused too). Development allows loopback.
    /// </summary>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> PublicOnlyConnect(bool development) =>
        async (context, cancellationToken) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
            var allowed = addresses.Where(a => IsPublic(a) || (development && IPAddress.IsLoopback(a))).ToArray();
            if (allowed.Length == 0)
            {
                throw new CallbackAddressRefusedException($"{host} resolves to no public address; callbacks go to public addresses only");
            }
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
}

/// <summary>A callback's host resolved to no address a callback may go to: retrying changes nothing.</summary>
public sealed class CallbackAddressRefusedException(string message) : IOException(message);
