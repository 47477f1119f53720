using System.Net;
using static SemanticManipulation.Studio.Tests.StudioCalls;

namespace SemanticManipulation.Studio.Tests;

/// <summary>Other web pages cannot drive the studio: neither by sending it requests nor by DNS rebinding.</summary>
[Collection(SharedStudio.Name)]
public sealed class RequestOriginTests(StudioFixture studio)
{
    private HttpClient Client => studio.Client;

    [Fact]
    public async Task A_request_addressed_to_another_host_name_is_refused_while_the_studio_listens_on_loopback()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/model");
        request.Headers.Host = $"rebound.example:{studio.Server.Address.Port}";

        using var response = await Client.SendAsync(request);

        await AssertRefused(response, HttpStatusCode.MisdirectedRequest, "localhost, 127.0.0.1 or [::1] only, not to 'rebound.example'");
    }

    [Fact]
    public async Task A_change_sent_from_another_web_page_is_refused_and_the_studios_own_page_is_served()
    {
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/sessions");
        foreign.Headers.Add("Origin", "http://evil.example");
        using var own = new HttpRequestMessage(HttpMethod.Post, "/api/sessions");
        own.Headers.Add("Origin", $"{studio.Server.Address.Scheme}://{studio.Server.Address.Authority}");
        using var read = new HttpRequestMessage(HttpMethod.Get, "/api/model");
        read.Headers.Add("Origin", "http://evil.example");

        using var refused = await Client.SendAsync(foreign);
        using var created = await Client.SendAsync(own);
        using var answered = await Client.SendAsync(read);

        await AssertRefused(refused, HttpStatusCode.Forbidden, "other web pages (http://evil.example)");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);   // reading is harmless: the browser keeps the answer from the page
    }
}
