using System.Net;

namespace Bridge.Security;

internal static class TrustedProxyList
{
    /// <summary>Parses "10.0.0.0/16" or "10.0.3.7" (a single address is a /32 or /128 network).</summary>
    public static bool TryParse(string text, out IPNetwork network)
    {
        if (IPNetwork.TryParse(text, out network))
        {
            return true;
        }
        if (IPAddress.TryParse(text, out var address))
        {
            network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }
        return false;
    }
}
