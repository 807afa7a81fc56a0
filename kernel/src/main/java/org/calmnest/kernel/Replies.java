package org.calmnest.kernel;

import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.history.HistoryEntry;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.ReplyType;
import org.dflib.jjava.jupyter.messages.request.HistoryRequest;
import org.dflib.jjava.jupyter.messages.reply.KernelInfoReply;

import java.util.ArrayList;
import java.util.List;

/**
 * Replies that jjava sends without the {@code status} field the protocol (and
 * jupyter_kernel_test's schema) requires; these subclasses add it.
 */
final class Replies {

    private Replies() {
    }

    static final class KernelInfo extends KernelInfoReply {
        @SuppressWarnings("unused") // serialised by gson
        private final String status = "ok";

        KernelInfo(String protocolVersion, String implementation, String implementationVersion,
                   LanguageInfo languageInfo, String banner, List<HelpLink> helpLinks) {
            super(protocolVersion, implementation, implementationVersion, languageInfo, banner, helpLinks);
        }
    }

    /**
     * {@code history_reply}: entries as the protocol's lists {@code [session, line, input]} or
     * {@code [session, line, [input, output]]} (jjava serialises them as objects).
     */
    static final class History implements ContentType<History>, ReplyType<HistoryRequest> {
        @SuppressWarnings("unused") // serialised by gson
        private final String status = "ok";
        private final List<List<Object>> history = new ArrayList<>();

        History(List<HistoryEntry> entries) {
            for (HistoryEntry e : entries) {
                Object text = e.hasOutput() ? List.of(e.getInput(), e.getOutput()) : e.getInput();
                history.add(List.of(e.getSession(), e.getCellNumber(), text));
            }
        }

        @Override
        public MessageType<History> getType() {
            @SuppressWarnings({"unchecked", "rawtypes"})
            MessageType<History> t = (MessageType) MessageType.HISTORY_REPLY;
            return t;
        }

        @Override
        public MessageType<HistoryRequest> getRequestType() {
            return MessageType.HISTORY_REQUEST;
        }
    }
}
