/** The notifier moved to its own domain (gateway/notifications/); the market's services reach it from here as before. */
export { Notifier } from "../notifications/notifier";
