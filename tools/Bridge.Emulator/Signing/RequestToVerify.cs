namespace Bridge.Emulator.Signing;

/// <summary>
/// A request as SigV4 sees it: method, the path and query exactly as sent on the wire, the authority
/// (HTTP/2 <c>:authority</c> or <c>host</c>) and a header lookup (all values of a name joined with a comma).
/// </summary>
public sealed record RequestToVerify(
    string Method, string RawPath, string RawQuery, string Authority, Func<string, string?> Header);
