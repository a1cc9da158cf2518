using System.Net;
using Bridge.HttpTools.Callbacks;

namespace Bridge.Tests.Api.Outbound;

/// <summary>
/// The operator's callback goes to public addresses only, checked again when connecting: a name that resolves to this
/// machine or a private network (at once, or by DNS rebinding after the URL was accepted) gets no connection.
/// </summary>
public sealed class CallbackAddressesTests : IAsyncLifetime
{
    private FakeWorker _local = null!;

    public async Task InitializeAsync() => _local = await FakeWorker.StartAsync(ready: true);

    public async Task DisposeAsync() => await _local.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("::ffff:172.16.0.1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:2800:21f:cb07:6820:80da:af6b:8b2c", true)]
    public void Only_public_addresses_are_public(string address, bool expected) =>
        Assert.Equal(expected, CallbackAddresses.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task Outside_Development_a_name_that_resolves_to_this_machine_gets_no_connection()
    {
        var url = new UriBuilder(_local.BaseAddress) { Host = "localhost", Path = "/health/readiness" }.Uri;
        using var production = new HttpClient(new SocketsHttpHandler { ConnectCallback = CallbackAddresses.PublicOnlyConnect(development: false) });
        using var development = new HttpClient(new SocketsHttpHandler { ConnectCallback = CallbackAddresses.PublicOnlyConnect(development: true) });

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => production.GetAsync(url));
        var allowed = await development.GetAsync(url);

        Assert.Contains("no public address", refused.Message + refused.InnerException?.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(1, _local.Asked);
    }
}
