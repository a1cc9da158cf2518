using Bridge.TwilioStandIn.Twilio;

namespace Bridge.Tests.Tools.TwilioStandIn;

public sealed class PublicRoutesTests
{
    [Fact]
    public void A_public_url_leads_to_the_local_address_of_its_longest_matching_prefix()
    {
        Assert.True(PublicRoutes.TryParse("https://voice.example.com/=http://127.0.0.1:5380/", out var api, out _));
        Assert.True(PublicRoutes.TryParse("wss://voice.example.com/media=ws://127.0.0.1:5390/media", out var media, out _));
        var routes = new PublicRoutes([api, media]);

        Assert.Equal(new Uri("http://127.0.0.1:5380/webhook/stream-status"), routes.Resolve(new Uri("https://voice.example.com/webhook/stream-status")));
        Assert.Equal(new Uri("ws://127.0.0.1:5390/media"), routes.Resolve(new Uri("wss://voice.example.com/media")));
        Assert.Equal(new Uri("https://other.example.com/webhook"), routes.Resolve(new Uri("https://other.example.com/webhook")));
    }

    [Theory]
    [InlineData("https://voice.example.com")]
    [InlineData("voice.example.com=127.0.0.1:5380")]
    [InlineData("ftp://voice.example.com/=http://127.0.0.1/")]
    public void A_route_that_is_not_two_urls_is_refused_with_an_example(string text)
    {
        Assert.False(PublicRoutes.TryParse(text, out _, out var error));
        Assert.Contains("wss://voice.example.com/media=ws://127.0.0.1:5390/media", error, StringComparison.Ordinal);
    }
}
