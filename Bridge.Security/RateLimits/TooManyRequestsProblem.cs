using Microsoft.AspNetCore.Http;

namespace Bridge.Security.RateLimits;

/// <summary>
/// The body of every 429 these services answer: an RFC 9457 problem whose <c>type</c> is where the status is defined
/// (RFC 6585, section 4). ASP.NET Core fills that in for the statuses RFC 9110 defines (every other problem of the
/// api: 400 … 504) but not for 429, and a problem without a <c>type</c> is <c>about:blank</c>, whose <c>title</c>
/// should then be the status phrase, not the sentence each refusal gives.
/// </summary>
public static class TooManyRequestsProblem
{
    public const string Type = "https://tools.ietf.org/html/rfc6585#section-4";

    public static IResult Create(string title, string detail) =>
        Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: title, detail: detail, type: Type);
}
