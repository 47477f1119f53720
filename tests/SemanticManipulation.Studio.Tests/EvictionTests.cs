using System.Net;
using static SemanticManipulation.Studio.Tests.StudioCalls;

namespace SemanticManipulation.Studio.Tests;

public sealed class EvictionTests
{
    [Fact]
    public async Task Beyond_the_session_count_the_least_recently_used_session_expires_with_410()
    {
        await using var server = await StudioServer.StartAsync(o => o.MaxSessions = 2);
        var client = server.Client;
        var oldest = await client.NewSession();
        await client.Open(oldest, "seed/1");
        var middle = await client.NewSession();
        await client.GetStringAsync($"/api/sessions/{oldest}");   // used: now the middle one is least recent
        var newest = await client.NewSession();

        using var expired = await client.GetAsync($"/api/sessions/{middle}");
        await AssertRefused(expired, HttpStatusCode.Gone, "expired");
        using var stroke = await client.PostStroke(middle, new { action = "add", concept = "tree", mask = Masks.Encode(Masks.ScaledRectangle(0, 0, 8, 8, server.Resolution)) });
        await AssertRefused(stroke, HttpStatusCode.Gone, "open the photo again");

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/sessions/{oldest}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/sessions/{newest}")).StatusCode);
        await client.Stroke(oldest, new { action = "add", concept = "tree", mask = Masks.Encode(Masks.ScaledRectangle(0, 0, 8, 8, server.Resolution)) });
    }

    [Fact]
    public async Task Beyond_the_memory_limit_the_least_recently_used_session_expires_and_its_tensors_are_released()
    {
        await using var server = await StudioServer.StartAsync(o =>
        {
            o.MaxSessions = 10;
            o.MaxCacheMegabytes = 1;
            o.RenderAdaptationSteps = 5;
        });
        var client = server.Client;
        var first = await client.NewSession();
        await client.Open(first, "seed/1");
        await client.Stroke(first, new { action = "add", concept = "tree", mask = Masks.Encode(Masks.ScaledRectangle(0, 0, 8, 8, server.Resolution)) });
        var rendered = (await client.Stream($"/api/sessions/{first}/render"))[^1]["state"]!;
        var firstBytes = rendered["estimatedBytes"]!.GetValue<long>();
        Assert.True(firstBytes > 1 << 20, $"a rendered session is estimated at {firstBytes} bytes");

        // The only session may exceed the limit alone; a second one pushes the first out.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/sessions/{first}")).StatusCode);
        var second = await client.NewSession();
        await client.Open(second, "seed/2");

        using var expired = await client.GetAsync($"/api/sessions/{first}/render.png");
        await AssertRefused(expired, HttpStatusCode.Gone, "expired");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/sessions/{second}/preview.png")).StatusCode);
    }

    [Fact]
    public async Task A_session_whose_open_just_finished_counts_as_the_most_recent_when_the_memory_limit_evicts()
    {
        await using var server = await StudioServer.StartAsync(o =>
        {
            o.MaxSessions = 10;
            o.MaxCacheMegabytes = 1;
        });
        var client = server.Client;
        var other = await client.NewSession();
        await client.Open(other, "seed/1");
        var opening = await client.NewSession();
        var used = false;
        var events = await client.Stream($"/api/sessions/{opening}/open/seed/2", onEvent: async e =>
        {
            if (!used && e["type"]!.GetValue<string>() == "progress")
            {
                // The other tab is used while this one opens: its request is more recent than the open's.
                used = true;
                await client.GetStringAsync($"/api/sessions/{other}");
            }
        });

        Assert.Equal("done", events[^1]["type"]!.GetValue<string>());
        using var expired = await client.GetAsync($"/api/sessions/{other}");
        await AssertRefused(expired, HttpStatusCode.Gone, "expired");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/sessions/{opening}/preview.png")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/sessions/{opening}/preview.png")).StatusCode);   // and stays
    }
}
