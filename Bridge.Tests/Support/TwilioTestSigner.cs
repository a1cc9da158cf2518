using System.Security.Cryptography;
using System.Text;

namespace Bridge.Tests.Support;

/// <summary>
/// Signs as Twilio does (HMAC-SHA1 over the URL and the name-sorted form, base64), written independently of
/// the code under test and itself checked against Twilio's vectors.
/// </summary>
public static class TwilioTestSigner
{
    public static string Sign(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var text = new StringBuilder(url);
        foreach (var (name, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(value);
        }
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(text.ToString())));
    }

    public static HttpRequestMessage SignedFormPost(string authToken, string publicUrl, string path, IReadOnlyDictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", Sign(authToken, publicUrl, form));
        return request;
    }
}
