using System.Text.Json.Nodes;
using Parley.Signaling.Rpc;

namespace Parley.Signaling.Tests;

public sealed class JsonRpcFramesTests
{
    [Fact]
    public void Results_carry_the_rpc_session_id_inside_the_result_as_kurento_jsonrpc_does()
    {
        JsonObject frame = JsonNode.Parse(JsonRpcFrames.Result(JsonValue.Create(4), "rpc1", json => json.WriteString("a", "b")))!.AsObject();
        Assert.Equal("""{"jsonrpc":"2.0","id":4,"result":{"a":"b","sessionId":"rpc1"}}""", frame.ToJsonString());
    }

    [Fact]
    public void Values_are_wrapped_and_errors_carry_the_session_id_in_data()
    {
        Assert.Equal("""{"jsonrpc":"2.0","id":"x","result":{"value":"pong"}}""",
            JsonNode.Parse(JsonRpcFrames.Value(JsonValue.Create("x"), "pong", null))!.ToJsonString());
        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"m","data":{"sessionId":"s"}}}""",
            JsonNode.Parse(JsonRpcFrames.Error(null, -32700, "m", "s"))!.ToJsonString());
    }

    [Fact]
    public void Notifications_have_no_id_and_keep_text_as_text()
    {
        string frame = System.Text.Encoding.UTF8.GetString(JsonRpcFrames.Notification("sendMessage", json => json.WriteString("data", "<b>&\"é")));
        Assert.Equal("""{"jsonrpc":"2.0","method":"sendMessage","params":{"data":"<b>&\"é"}}""", frame);
    }
}
