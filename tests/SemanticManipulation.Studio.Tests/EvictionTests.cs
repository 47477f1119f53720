using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SemanticManipulation.Studio.Api;
using SemanticManipulation.Studio.Sessions;
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
    public async Task The_end_of_a_sessions_long_job_counts_as_use_and_the_session_being_served_is_never_the_one_evicted()
    {
        await using var server = await StudioServer.StartAsync(o => o.MaxSessions = 2);
        var store = server.Services.GetRequiredService<SessionStore>();
        var opened = store.Create();
        var other = store.Create();
        store.Get(other.Id);                  // the other tab's request comes after the one that started the open
        store.Measured(opened, 1 << 20);      // then the open ends: now it is the most recent
        var newest = store.Create();          // a third session: one of the first two must go

        Assert.Same(opened, store.Get(opened.Id));
        Assert.Same(newest, store.Get(newest.Id));
        Assert.Equal(410, Assert.Throws<StudioException>(() => store.Get(other.Id)).StatusCode);

        // Over the memory limit every other session goes before the one being measured, which is kept even alone.
        store.Measured(newest, long.MaxValue / 4);
        Assert.Same(newest, store.Get(newest.Id));
        Assert.Equal(410, Assert.Throws<StudioException>(() => store.Get(opened.Id)).StatusCode);
    }
}
