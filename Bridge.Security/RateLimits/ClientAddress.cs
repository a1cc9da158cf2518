using System.Net;
using System.Net.Sockets;

namespace Bridge.Security.RateLimits;

/// <summary>Who a request counts against: its remote address, once trusted proxies' X-Forwarded-For has been applied.</summary>
public static class ClientAddress
{
    /// <summary>Requests whose remote address is unknown (in-memory test servers) share one partition.</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// An IPv4 address as itself (IPv4-mapped IPv6 too); an IPv6 address as its /64 network, since one host commonly
    /// holds a whole /64 and could otherwise take a fresh limit for every request.
    /// </summary>
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}
