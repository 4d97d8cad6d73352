using System.Globalization;
using System.Net;

namespace Mailroom.Interop.Tests.Support;

/// <summary>One HTTP GET on the server's metrics endpoint, as Prometheus or a health checker makes it.</summary>
internal static class Scrape
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(int port, string path, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = Timeout };
        using HttpResponseMessage response = await client.GetAsync(
            new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}{path}")), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
