// Loads tests/Accounting.Tests/Support/UsageDataSet into a running slurmdbd as cluster alpha's controller,
// to record what the real slurmdbd answers (see tests/Accounting.Tests/Fixtures/RealOutput/README.md):
//   dotnet run scripts/load-usage-dataset.cs -- PORT MUNGE_SOCKET
#:project ../tests/Accounting.Tests/Accounting.Tests.csproj
using System.Net;
using Accounting.Dbd.Authentication;
using Accounting.Tests.Support;

var endPoint = new IPEndPoint(IPAddress.Loopback, int.Parse(args[0]));
await using var client = await DbdClient.ConnectAsync(endPoint);
var init = await client.InitAsync(DbdClient.MungeInit(new MungeClient(args[1]), UsageDataSet.Cluster));
if (init.ReturnCode != 0)
    throw new InvalidOperationException($"persist init answered {init.ReturnCode}");
await UsageDataSet.LoadAsync(client, controllerPort: (ushort)(endPoint.Port + 2));
Console.WriteLine("loaded");
