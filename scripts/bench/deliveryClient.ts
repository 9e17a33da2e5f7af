// One run of the delivery benchmark's client, in a process of its own so that its
// peak RSS is the SDK's alone: reads PLAINTEXT, encrypts it with the SDK's
// streaming encryptor (or, with MODE=library, the age-encryption library's
// streaming mode) and writes it to OUT, or (MODE=upload) streams it to the
// gateway's delivery-file route. Prints one JSON line: seconds, peak RSS in MiB,
// and the gateway's answer when uploading.
import { createReadStream, createWriteStream } from "node:fs";
import http from "node:http";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Encrypter } from "age-encryption";
import { encryptDeliveryStream } from "../../sdk";

const { MODE = "file", PLAINTEXT, OUT, RECIPIENT, URL: TARGET, TOKEN } = process.env;

async function main(): Promise<void> {
  const started = process.hrtime.bigint();
  const source = createReadStream(PLAINTEXT!, { highWaterMark: 1024 * 1024 });
  let answer: unknown;
  if (MODE === "library") {
    const encrypter = new Encrypter();
    encrypter.addRecipient(RECIPIENT!);
    const sealed = await encrypter.encrypt(Readable.toWeb(source) as ReadableStream<Uint8Array>);
    await pipeline(
      Readable.fromWeb(sealed as unknown as import("node:stream/web").ReadableStream),
      createWriteStream(OUT!),
    );
  } else if (MODE === "file") {
    await pipeline(
      source,
      (input: AsyncIterable<Uint8Array>) => encryptDeliveryStream(input, [RECIPIENT!]),
      createWriteStream(OUT!),
    );
  } else {
    answer = await new Promise((resolve, reject) => {
      const request = http.request(TARGET!, {
        method: "POST",
        headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/octet-stream" },
      });
      request.on("response", (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode, body: JSON.parse(Buffer.concat(chunks).toString()) }),
        );
      });
      request.on("error", reject);
      pipeline(
        source,
        (input: AsyncIterable<Uint8Array>) => encryptDeliveryStream(input, [RECIPIENT!]),
        request as unknown as Writable,
      ).catch(reject);
    });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakRssMiB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ seconds, peakRssMiB, answer }));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
