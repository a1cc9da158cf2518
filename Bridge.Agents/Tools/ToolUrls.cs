using System.Net;

namespace Bridge.Agents.Tools;

/// <summary>Where an HTTP tool may send a caller's data: https only, except plain http to this machine in Development.</summary>
public static class ToolUrls
{
    public static Uri? Check(string? text, bool allowHttpToLoopback, Action<string> report)
    {
        if (text is null)
        {
            report("is required: the https URL the tool's requests are POSTed to");
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            report($"'{text}' is not an absolute http(s) URL");
            return null;
        }
        if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Fragment))
        {
            report($"'{text}' must carry no user name, password or fragment (secrets go in the tool's secret setting)");
            return null;
        }
        if (url.Scheme == Uri.UriSchemeHttp && !(allowHttpToLoopback && IsLoopback(url)))
        {
            report(allowHttpToLoopback
                ? $"'{text}' must use https (plain http is allowed only to this machine: localhost, 127.0.0.1, [::1])"
                : $"'{text}' must use https (plain http is allowed only to this machine, and only in Development)");
            return null;
        }
        return url;
    }

    private static bool IsLoopback(Uri url) =>
        url.IsLoopback || (IPAddress.TryParse(url.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));
}
