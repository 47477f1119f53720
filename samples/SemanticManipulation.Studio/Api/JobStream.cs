using System.Text.Json;
using System.Threading.Channels;
using SemanticManipulation.Studio.Sessions;

namespace SemanticManipulation.Studio.Api;

/// <summary>
/// Streams a long job (open, render) to the page as NDJSON, one JSON object per line, flushed as it happens:
/// <c>{"type":"started","job":…}</c>, then <c>{"type":"progress",…}</c> lines, then exactly one of
/// <c>{"type":"done","state":…}</c>, <c>{"type":"cancelled","error":…}</c> or <c>{"type":"error","status":…,"error":…}</c>.
/// The job is the session's one cancellable job while it runs.
/// </summary>
internal static class JobStream
{
    /// <summary>The content type of the stream.</summary>
    public const string ContentType = "application/x-ndjson";

    /// <summary>Runs <paramref name="job"/> as <paramref name="session"/>'s long job of <paramref name="kind"/>, streaming
    /// its progress and outcome.</summary>
    /// <exception cref="StudioException">409 before anything is streamed when the session is already busy.</exception>
    public static async Task Run(HttpContext context, StudioSession session, string kind,
        Func<IProgress<StudioProgress>, CancellationToken, Task<SessionState>> job, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(job);
        var cancellation = session.BeginJob(kind, context.RequestAborted);
        var events = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
        Task<SessionState>? running = null;
        try
        {
            running = job(new ChannelProgress(events.Writer), cancellation.Token);
            _ = running.ContinueWith(_ => events.Writer.TryComplete(), TaskScheduler.Default);

            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = ContentType;
            response.Headers.CacheControl = "no-store";
            await Write(response, new { type = "started", job = kind });
            await foreach (var report in events.Reader.ReadAllAsync(context.RequestAborted))
            {
                await Write(response, report);
            }

            // The job is over once its outcome is known: end it before telling the page, so that the state it gets
            // is not busy and a job the page starts on reading it (render right after open) is not refused as busy.
            var outcome = await Outcome(running, logger);
            session.EndJob(cancellation);
            await Write(response, outcome);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException && context.RequestAborted.IsCancellationRequested)
        {
            // The tab went away; its job was cancelled through the linked token and nobody is left to tell.
        }
        finally
        {
            if (running is not null)
            {
                // Keep the session busy until the job has really stopped on the worker.
                await running.ContinueWith(_ => { }, TaskScheduler.Default);
            }

            session.EndJob(cancellation);
        }
    }

    private static async Task<object> Outcome(Task<SessionState> running, ILogger logger)
    {
        try
        {
            // The state was taken on the worker while the job still held the session; it is no longer busy.
            return new { type = "done", state = (await running) with { Busy = null } };
        }
        catch (OperationCanceledException)
        {
            return new { type = "cancelled", error = "Cancelled; nothing was changed." };
        }
        catch (Exception ex)
        {
            var (status, message) = ApiErrors.Describe(ex, logger);
            return new { type = "error", status, error = message };
        }
    }

    private static async Task Write(HttpResponse response, object value)
    {
        await JsonSerializer.SerializeAsync(response.Body, value, value.GetType(), JsonSerializerOptions.Web, response.HttpContext.RequestAborted);
        await response.Body.WriteAsync("\n"u8.ToArray(), response.HttpContext.RequestAborted);
        await response.Body.FlushAsync(response.HttpContext.RequestAborted);
    }

    /// <summary>Progress reports from the worker thread into the stream, never blocking the worker.</summary>
    private sealed class ChannelProgress(ChannelWriter<object> writer) : IProgress<StudioProgress>
    {
        public void Report(StudioProgress value) => writer.TryWrite(value);
    }
}
