package io.streamrag.app;
