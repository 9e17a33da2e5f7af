// `npm start`: the whole platform on one machine (see gateway/server.ts).
import { main } from "../gateway/server";

void main();
